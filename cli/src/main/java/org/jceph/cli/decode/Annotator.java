package org.jceph.cli.decode;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.packed.PackedField;
import org.jceph.encoding.packed.PackedLayout;

/**
 * Prints fields as an annotated hex view: the field's offset in its TCP stream, its bytes (the
 * first {@value #HEX_BYTES}), its type, name and decoded value. Reads go through a
 * {@link CephDecoder}, so every length is bounded by the bytes really present.
 */
final class Annotator {
    static final int HEX_BYTES = 10;

    private final byte[] bytes;
    private final int start;
    private final long streamBase;
    private final CephDecoder d;
    private final List<String> lines;
    private final String indent;
    private final String what;

    /**
     * @param bytes      the buffer
     * @param start      where the region to annotate starts in {@code bytes}
     * @param length     its length
     * @param streamBase the stream offset of {@code bytes[start]}
     */
    Annotator(byte[] bytes, int start, int length, long streamBase, String what, List<String> lines, String indent) {
        this.bytes = bytes;
        this.start = start;
        this.streamBase = streamBase;
        this.d = new CephDecoder(Unpooled.wrappedBuffer(bytes, start, length), what);
        this.lines = lines;
        this.indent = indent;
        this.what = what;
    }

    CephDecoder decoder() {
        return d;
    }

    long streamOffset() {
        return streamBase + d.offset();
    }

    int remaining() {
        return d.remaining();
    }

    /** The next byte, not consumed (the caller checks remaining() first). */
    int peekU8() {
        io.netty.buffer.ByteBuf b = d.buffer();
        return b.getUnsignedByte(b.readerIndex());
    }

    /** Reads one field with {@code reader} and prints it, rendered by {@code render}. */
    <T> T field(String type, String name, Function<CephDecoder, T> reader, Function<T, String> render) {
        int at = d.offset();
        T v = reader.apply(d);
        line(at, d.offset() - at, type, name, render.apply(v));
        return v;
    }

    <T> T field(String type, String name, Function<CephDecoder, T> reader) {
        return field(type, name, reader, String::valueOf);
    }

    int u8(String name) {
        return field("u8", name, CephDecoder::readU8);
    }

    int u16(String name) {
        return field("u16", name, CephDecoder::readU16Le);
    }

    long u32(String name) {
        return field("u32", name, CephDecoder::readU32Le);
    }

    int s32(String name) {
        return field("s32", name, CephDecoder::readS32Le);
    }

    long u64(String name) {
        return field("u64", name, CephDecoder::readU64Le);
    }

    long hex64(String name) {
        return field("u64", name, CephDecoder::readU64Le, v -> "0x" + Long.toHexString(v));
    }

    String string(String name) {
        return field("string", name, CephDecoder::readString, Annotator::quote);
    }

    byte[] blob(String name) {
        return field("blob", name, CephDecoder::readBlob, b -> b.length + " bytes");
    }

    /** A versioned envelope header (u8 struct_v, u8 struct_compat, le32 length) as one field. */
    void envelope(String name) {
        int at = d.offset();
        int v = d.readU8();
        int compat = d.readU8();
        long len = d.readU32Le();
        line(at, d.offset() - at, "struct", name, "v" + v + " compat " + compat + ", " + len + " bytes");
    }

    /** Bytes not decoded further. */
    void rest(String name) {
        if (d.remaining() > 0) {
            int n = d.remaining();
            field("bytes", name, dd -> dd.readBytes(n), b -> b.length + " bytes");
        }
    }

    void note(String text) {
        lines.add(indent + "        " + text);
    }

    /** Prints every leaf of a packed C struct at the current position and consumes it. */
    void packed(PackedLayout layout, String prefix) {
        int at = d.offset();
        var buf = d.buffer();
        int base = buf.readerIndex();
        for (PackedField f : layout.leaves(false)) {
            String value;
            String type;
            switch (f.kind()) {
                case U8 -> {
                    type = "u8";
                    value = String.valueOf(f.getLong(buf, base));
                }
                case U16LE, U16BE -> {
                    type = f.kind() == PackedField.Kind.U16BE ? "be16" : "u16";
                    value = String.valueOf(f.getLong(buf, base));
                }
                case U32LE -> {
                    type = "u32";
                    long v = f.getLong(buf, base);
                    value = f.name().endsWith("crc") ? String.format("%08x", v) : String.valueOf(v);
                }
                case U64LE -> {
                    type = "u64";
                    long v = f.getLong(buf, base);
                    value = name(f).contains("features") || name(f).equals("sig") ? "0x" + Long.toHexString(v)
                            : Long.toUnsignedString(v);
                }
                case PAD -> {
                    type = "pad";
                    value = allZero(f.getBytes(buf, base)) ? "(zero)" : "(nonzero)";
                }
                default -> {
                    type = "u8[" + f.width() + "]";
                    value = hexString(f.getBytes(buf, base));
                }
            }
            if (f.kind() == PackedField.Kind.PAD && f.width() > 16 && allZero(f.getBytes(buf, base))) {
                line(at + f.offset(), f.width(), type + "[" + f.width() + "]", prefix + f.name(), value);
            } else {
                line(at + f.offset(), f.width(), type, prefix + f.name(), value);
            }
        }
        d.skip(layout.size());
    }

    private static String name(PackedField f) {
        return f.name();
    }

    /** Prints a line for {@code len} bytes at decoder offset {@code at}. */
    void line(int at, int len, String type, String name, String value) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(len, HEX_BYTES); i++) {
            hex.append(String.format("%02x ", bytes[start + at + i] & 0xff));
        }
        if (len > HEX_BYTES) {
            hex.append("..");
        }
        if (lines instanceof Lines l) {
            byte[] head = java.util.Arrays.copyOfRange(bytes, start + at, start + at + Math.min(len, Lines.KEEP));
            l.fields.add(new Lines.Field(streamBase + at, len, head, what, type, name, value));
        }
        lines.add(String.format("%s  %06x  %-32s %-8s %-22s %s", indent, streamBase + at, hex.toString().stripTrailing(),
                type, name, value));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else {
                b.append(String.format("\\x%02x", (int) c));
            }
        }
        if (b.length() > 200) {
            return b.substring(0, 200) + "...\" (" + s.length() + " chars)";
        }
        return b.append('"').toString();
    }

    static String hexString(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 32); i++) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return b.length > 32 ? s + "..." : s.toString();
    }

    static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static List<String> newLines() {
        return new ArrayList<>();
    }
}
