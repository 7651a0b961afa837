package org.jceph.encoding.packed;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * One field of a {@link PackedLayout}: its name, kind, offset from the start of its struct and
 * width. Scalar accessors read and write at {@code base + offset()} without moving indexes.
 */
public final class PackedField {
    /** What a field holds; the width of scalars follows from the kind. */
    public enum Kind {
        U8, U16LE, U16BE, U32LE, U64LE,
        /** Fixed-size character array (text, NUL padded). */
        CHARS,
        /** Fixed-size raw bytes. */
        BYTES,
        /** Named padding, reserved or unused bytes. */
        PAD,
        STRUCT,
        UNION
    }

    private final String name;
    private final Kind kind;
    private final int offset;
    private final int width;
    private final PackedLayout nested;
    private final List<PackedLayout> cases;

    PackedField(String name, Kind kind, int offset, int width, PackedLayout nested, List<PackedLayout> cases) {
        this.name = name;
        this.kind = kind;
        this.offset = offset;
        this.width = width;
        this.nested = nested;
        this.cases = cases == null ? List.of() : List.copyOf(cases);
    }

    PackedField relocated(String path, int absoluteOffset) {
        return new PackedField(path, kind, absoluteOffset, width, nested, cases);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public int offset() {
        return offset;
    }

    public int width() {
        return width;
    }

    /** The layout of a STRUCT field. */
    public PackedLayout nested() {
        return nested;
    }

    /** The cases of a UNION field. */
    public List<PackedLayout> cases() {
        return cases;
    }

    public PackedLayout unionCase(String caseName) {
        for (PackedLayout c : cases) {
            if (c.name().equals(caseName)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name + " has no union case " + caseName);
    }

    public boolean isBytes() {
        return kind == Kind.CHARS || kind == Kind.BYTES || kind == Kind.PAD;
    }

    /** Reads an integer field (u64 as its bit pattern; narrower fields zero-extended). */
    public long getLong(ByteBuf buf, int base) {
        int i = base + offset;
        return switch (kind) {
            case U8 -> buf.getUnsignedByte(i);
            case U16LE -> buf.getUnsignedShortLE(i);
            case U16BE -> buf.getUnsignedShort(i);
            case U32LE -> buf.getUnsignedIntLE(i);
            case U64LE -> buf.getLongLE(i);
            default -> throw new IllegalStateException(name + " is not an integer field");
        };
    }

    public int getInt(ByteBuf buf, int base) {
        return (int) getLong(buf, base);
    }

    /** Writes an integer field; higher bits than the field holds are dropped. */
    public void setLong(ByteBuf buf, int base, long v) {
        int i = base + offset;
        switch (kind) {
            case U8 -> buf.setByte(i, (int) v);
            case U16LE -> buf.setShortLE(i, (int) v);
            case U16BE -> buf.setShort(i, (int) v);
            case U32LE -> buf.setIntLE(i, (int) v);
            case U64LE -> buf.setLongLE(i, v);
            default -> throw new IllegalStateException(name + " is not an integer field");
        }
    }

    public byte[] getBytes(ByteBuf buf, int base) {
        byte[] out = new byte[width];
        buf.getBytes(base + offset, out);
        return out;
    }

    /** Writes up to {@code width} bytes; a shorter value is NUL padded. */
    public void setBytes(ByteBuf buf, int base, byte[] value) {
        if (value.length > width) {
            throw new IllegalArgumentException(name + " holds " + width + " bytes, got " + value.length);
        }
        buf.setBytes(base + offset, value);
        buf.setZero(base + offset + value.length, width - value.length);
    }

    @Override
    public String toString() {
        return name + "@" + offset + "[" + width + "]:" + kind;
    }
}
