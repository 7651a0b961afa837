package org.jceph.encoding.packed;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jceph.encoding.DecodeException;

/**
 * A packed C struct ({@code __attribute__((packed))}) declared once, field by field: name, width,
 * offset, and every padding or unused byte as a named field. The total size is asserted when the
 * declaration is built, so a miscounted field fails at class load, not on the wire.
 *
 * <p>Codecs read and write through the {@link PackedField}s of the declaration (the offsets come
 * from here, never from literals elsewhere). The generic {@link #decode}/{@link #encode} pair turns
 * a struct into a map of leaf paths ({@code "src.num"}) to values and back; the gcc layout
 * properties and the annotated hex dump use it.
 *
 * <p>Unions are declared as a set of cases, each itself a layout padded (with a named field) to
 * the union's width.
 */
public final class PackedLayout {
    private final String name;
    private final String cName;
    private final int size;
    private final List<PackedField> fields;
    private final Map<String, PackedField> byName;

    private PackedLayout(String name, String cName, int size, List<PackedField> fields) {
        this.name = name;
        this.cName = cName;
        this.size = size;
        this.fields = List.copyOf(fields);
        Map<String, PackedField> m = new LinkedHashMap<>();
        for (PackedField f : fields) {
            if (m.put(f.name(), f) != null) {
                throw new IllegalStateException(name + ": duplicate field " + f.name());
            }
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Our name for the struct (usually Ceph's C name). */
    public String name() {
        return name;
    }

    /** The C struct tag used by the gcc probe, e.g. {@code ceph_msg_header}. */
    public String cName() {
        return cName;
    }

    public int size() {
        return size;
    }

    public List<PackedField> fields() {
        return fields;
    }

    /** A top-level field by name; fails loudly on a typo. */
    public PackedField field(String fieldName) {
        PackedField f = byName.get(fieldName);
        if (f == null) {
            throw new IllegalArgumentException(name + " has no field " + fieldName);
        }
        return f;
    }

    /**
     * A leaf anywhere inside the struct, by dotted path ({@code "layout.ol_pgid.pool"}, or through a
     * union case, {@code "u.extent.offset"}), with its offset from the start of this struct.
     */
    public PackedField at(String path) {
        for (PackedField leaf : leaves(true)) {
            if (leaf.name().equals(path)) {
                return leaf;
            }
        }
        throw new IllegalArgumentException(name + " has no leaf " + path);
    }

    /**
     * Every scalar, byte-array and padding field, flattened into dotted paths with offsets from the
     * start of this struct. Unions contribute the leaves of their first case, or of every case when
     * {@code allUnionCases} is set (then leaves overlap).
     */
    public List<PackedField> leaves(boolean allUnionCases) {
        List<PackedField> out = new ArrayList<>();
        collect(this, "", 0, allUnionCases ? null : Map.of(), out);
        return out;
    }

    /** The leaves with the given union cases chosen: union path → case name (default: first case). */
    public List<PackedField> leaves(Map<String, String> unionChoice) {
        List<PackedField> cached = leafCache.get(unionChoice);
        if (cached != null) {
            return cached;
        }
        List<PackedField> out = new ArrayList<>();
        collect(this, "", 0, unionChoice, out);
        List<PackedField> frozen = List.copyOf(out);
        if (leafCache.size() < 64) { // a handful of union choices per layout; bounded regardless
            leafCache.putIfAbsent(Map.copyOf(unionChoice), frozen);
        }
        return frozen;
    }

    /** The encoders ask for the same few leaf lists for every message: computed once each. */
    private final java.util.concurrent.ConcurrentHashMap<Map<String, String>, List<PackedField>> leafCache =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static void collect(PackedLayout layout, String prefix, int base, Map<String, String> choice,
            List<PackedField> out) {
        for (PackedField f : layout.fields) {
            String path = prefix + f.name();
            switch (f.kind()) {
                case STRUCT -> collect(f.nested(), path + ".", base + f.offset(), choice, out);
                case UNION -> {
                    if (choice == null) {
                        for (PackedLayout c : f.cases()) {
                            collect(c, path + "." + c.name() + ".", base + f.offset(), null, out);
                        }
                    } else {
                        PackedLayout c = f.unionCase(choice.getOrDefault(path, f.cases().get(0).name()));
                        collect(c, path + "." + c.name() + ".", base + f.offset(), choice, out);
                    }
                }
                default -> out.add(f.relocated(path, base + f.offset()));
            }
        }
    }

    /** Fails with a {@link DecodeException} unless {@code size()} bytes are readable at {@code index}. */
    public void checkReadable(ByteBuf buf, int index) {
        if (index < 0 || buf.writerIndex() - index < size) {
            throw new DecodeException(name, index, "needs " + size + " bytes, "
                    + Math.max(0, buf.writerIndex() - index) + " available");
        }
    }

    /**
     * Decodes the struct at {@code index} into leaf path → value: {@link Long} for integers (u64 as
     * its bit pattern), {@code byte[]} for character arrays, raw bytes and padding.
     */
    public Map<String, Object> decode(ByteBuf buf, int index, Map<String, String> unionChoice) {
        checkReadable(buf, index);
        Map<String, Object> out = new LinkedHashMap<>();
        for (PackedField leaf : leaves(unionChoice)) {
            out.put(leaf.name(), leaf.isBytes() ? leaf.getBytes(buf, index) : (Object) leaf.getLong(buf, index));
        }
        return out;
    }

    /**
     * Writes the struct at {@code index} (the buffer must have room; the writer index is not moved).
     * Leaves missing from {@code values} are written as zeros; so are the bytes of a union beyond
     * the chosen case.
     */
    public void encode(ByteBuf buf, int index, Map<String, ?> values, Map<String, String> unionChoice) {
        buf.setZero(index, size);
        for (PackedField leaf : leaves(unionChoice)) {
            Object v = values.get(leaf.name());
            if (v == null) {
                continue;
            }
            if (leaf.isBytes()) {
                byte[] b = (byte[]) v;
                leaf.setBytes(buf, index, b);
            } else {
                leaf.setLong(buf, index, ((Number) v).longValue());
            }
        }
    }

    @Override
    public String toString() {
        return "PackedLayout[" + name + ", " + size + " bytes]";
    }

    /** Declares fields in order; offsets accumulate; {@link #build} asserts the total size. */
    public static final class Builder {
        private final String name;
        private String cName;
        private final List<PackedField> fields = new ArrayList<>();
        private int offset;

        private Builder(String name) {
            this.name = name;
            this.cName = name;
        }

        /** The C struct name if it differs from ours (the probe declares it under this name). */
        public Builder cName(String c) {
            this.cName = c;
            return this;
        }

        private Builder add(String fieldName, PackedField.Kind kind, int width, PackedLayout nested,
                List<PackedLayout> cases) {
            fields.add(new PackedField(fieldName, kind, offset, width, nested, cases));
            offset += width;
            return this;
        }

        public Builder u8(String n) {
            return add(n, PackedField.Kind.U8, 1, null, null);
        }

        public Builder u16le(String n) {
            return add(n, PackedField.Kind.U16LE, 2, null, null);
        }

        /** Network order: sockaddr ports, and the address family in legacy entity_addr. */
        public Builder u16be(String n) {
            return add(n, PackedField.Kind.U16BE, 2, null, null);
        }

        public Builder u32le(String n) {
            return add(n, PackedField.Kind.U32LE, 4, null, null);
        }

        public Builder u64le(String n) {
            return add(n, PackedField.Kind.U64LE, 8, null, null);
        }

        /** A fixed char array (NUL padded text). */
        public Builder chars(String n, int width) {
            return add(n, PackedField.Kind.CHARS, width, null, null);
        }

        /** Raw bytes with a meaning (an address, a key). */
        public Builder bytes(String n, int width) {
            return add(n, PackedField.Kind.BYTES, width, null, null);
        }

        /** Padding, reserved or unused bytes: named, written as zeros by codecs. */
        public Builder pad(String n, int width) {
            return add(n, PackedField.Kind.PAD, width, null, null);
        }

        public Builder struct(String n, PackedLayout nested) {
            return add(n, PackedField.Kind.STRUCT, nested.size(), nested, null);
        }

        /** A union: every case must be exactly {@code width} bytes, its padding named. */
        public Builder union(String n, int width, PackedLayout... cases) {
            for (PackedLayout c : cases) {
                if (c.size() != width) {
                    throw new IllegalStateException(name + "." + n + ": case " + c.name() + " is " + c.size()
                            + " bytes, the union is " + width);
                }
            }
            return add(n, PackedField.Kind.UNION, width, null, Arrays.asList(cases));
        }

        public PackedLayout build(int expectedSize) {
            if (offset != expectedSize) {
                throw new IllegalStateException(name + " declares " + offset + " bytes, expected " + expectedSize);
            }
            return new PackedLayout(name, cName, offset, fields);
        }
    }
}
