package org.jceph.encoding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes Ceph's encoding into a {@link ByteBuf}: the mirror of {@link CephDecoder}. Containers are
 * written in the iteration order of the collection given; pass sorted maps and sets where Ceph
 * encodes {@code std::map}/{@code std::set} (their order is part of the bytes).
 */
public final class CephEncoder {
    private final ByteBuf buf;

    public CephEncoder(ByteBuf buf) {
        this.buf = buf;
    }

    public ByteBuf buffer() {
        return buf;
    }

    /**
     * A growable heap buffer, as {@code Unpooled.buffer(initialCapacity)} but without the default
     * allocator's byte counters (LongAdders that showed up in profiles of small-op workloads).
     */
    public static ByteBuf heapBuffer(int initialCapacity) {
        return new io.netty.buffer.UnpooledHeapByteBuf(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, initialCapacity,
                Integer.MAX_VALUE);
    }

    /** Encodes with {@code body} into a fresh array: for small arguments (cls inputs, cursors, authorizers). */
    public static byte[] toBytes(java.util.function.Consumer<CephEncoder> body) {
        ByteBuf b = heapBuffer(64);
        body.accept(new CephEncoder(b));
        return readableBytes(b);
    }

    /** The readable bytes of {@code b}, copied; the reader index moves to the end. */
    public static byte[] readableBytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    public CephEncoder writeU8(int v) {
        buf.writeByte(v);
        if (WireTrace.on()) {
            traced(1, "u8");
        }
        return this;
    }

    public CephEncoder writeBool(boolean v) {
        buf.writeByte(v ? 1 : 0);
        if (WireTrace.on()) {
            traced(1, "bool");
        }
        return this;
    }

    public CephEncoder writeU16Le(int v) {
        buf.writeShortLE(v);
        if (WireTrace.on()) {
            traced(2, "le16");
        }
        return this;
    }

    public CephEncoder writeU16Be(int v) {
        buf.writeShort(v);
        if (WireTrace.on()) {
            traced(2, "be16");
        }
        return this;
    }

    public CephEncoder writeU32Le(long v) {
        buf.writeIntLE((int) v);
        if (WireTrace.on()) {
            traced(4, "le32");
        }
        return this;
    }

    public CephEncoder writeS32Le(int v) {
        buf.writeIntLE(v);
        if (WireTrace.on()) {
            traced(4, "s32");
        }
        return this;
    }

    public CephEncoder writeU64Le(long v) {
        buf.writeLongLE(v);
        if (WireTrace.on()) {
            traced(8, "le64");
        }
        return this;
    }

    public CephEncoder writeS64Le(long v) {
        buf.writeLongLE(v);
        if (WireTrace.on()) {
            traced(8, "s64");
        }
        return this;
    }

    public CephEncoder writeF32Le(float v) {
        buf.writeIntLE(Float.floatToRawIntBits(v));
        if (WireTrace.on()) {
            traced(4, "f32");
        }
        return this;
    }

    public CephEncoder writeF64Le(double v) {
        buf.writeLongLE(Double.doubleToRawLongBits(v));
        if (WireTrace.on()) {
            traced(8, "f64");
        }
        return this;
    }

    public CephEncoder writeBytes(byte[] bytes) {
        int at = buf.writerIndex();
        buf.writeBytes(bytes);
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.writerIndex(), "bytes[" + (buf.writerIndex() - at) + "]");
        }
        return this;
    }

    /** Appends the readable bytes of {@code bytes} without moving its reader index. */
    public CephEncoder writeBytes(ByteBuf bytes) {
        int at = buf.writerIndex();
        buf.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.writerIndex(), "bytes[" + (buf.writerIndex() - at) + "]");
        }
        return this;
    }

    public CephEncoder writeBlob(byte[] bytes) {
        int at = buf.writerIndex();
        buf.writeIntLE(bytes.length);
        buf.writeBytes(bytes);
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.writerIndex(), "blob");
        }
        return this;
    }

    public CephEncoder writeBlob(ByteBuf bytes) {
        int at = buf.writerIndex();
        buf.writeIntLE(bytes.readableBytes());
        return writeBytes(bytes);
    }

    public CephEncoder writeString(String s) {
        int at = buf.writerIndex();
        int lengthAt = buf.writerIndex();
        buf.writeIntLE(0);
        int n = ByteBufUtil.reserveAndWriteUtf8(buf, s, ByteBufUtil.utf8MaxBytes(s));
        buf.setIntLE(lengthAt, n);
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.writerIndex(), "blob");
        }
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.writerIndex(), "string");
        }
        return this;
    }

    public static int encodedStringLength(String s) {
        return 4 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    public CephEncoder writeUuid(UUID uuid) {
        buf.writeLong(uuid.getMostSignificantBits());
        buf.writeLong(uuid.getLeastSignificantBits());
        if (WireTrace.on()) {
            traced(16, "uuid");
        }
        return this;
    }

    public CephEncoder writeUtime(UTime t) {
        buf.writeIntLE((int) t.seconds());
        buf.writeIntLE((int) t.nanos());
        if (WireTrace.on()) {
            traced(8, "utime");
        }
        return this;
    }

    /** Writes one element. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(CephEncoder encoder, T value);
    }

    public <T> CephEncoder writeList(Collection<T> items, Writer<T> element) {
        buf.writeIntLE(items.size());
        if (WireTrace.on()) {
            WireTrace.note(buf, buf.writerIndex() - 4, buf.writerIndex(), "le32 count");
        }
        for (T item : items) {
            element.write(this, item);
        }
        return this;
    }

    public <K, V> CephEncoder writeMap(Map<K, V> map, Writer<K> key, Writer<V> value) {
        buf.writeIntLE(map.size());
        if (WireTrace.on()) {
            WireTrace.note(buf, buf.writerIndex() - 4, buf.writerIndex(), "le32 count (map)");
        }
        for (Map.Entry<K, V> e : map.entrySet()) {
            key.write(this, e.getKey());
            value.write(this, e.getValue());
        }
        return this;
    }

    public <T> CephEncoder writeOptional(Optional<T> v, Writer<T> value) {
        buf.writeByte(v.isPresent() ? 1 : 0);
        if (WireTrace.on()) {
            WireTrace.note(buf, buf.writerIndex() - 1, buf.writerIndex(), "u8 present");
        }
        v.ifPresent(x -> value.write(this, x));
        return this;
    }

    /**
     * Opens a versioned struct (Ceph's ENCODE_START): u8 version, u8 compat, and a u32 length that
     * {@link #finishStruct} fills in. Returns the mark to pass to it.
     */
    public int beginStruct(int version, int compat) {
        buf.writeByte(version);
        buf.writeByte(compat);
        int mark = buf.writerIndex();
        buf.writeIntLE(0);
        if (WireTrace.on()) {
            WireTrace.note(buf, mark - 2, mark + 4, "struct " + WireTrace.structOwner() + " v" + version + " compat " + compat);
            WireTrace.enter(buf);
        }
        return mark;
    }

    public void finishStruct(int mark) {
        buf.setIntLE(mark, buf.writerIndex() - mark - 4);
        if (WireTrace.on()) {
            WireTrace.exit(buf);
        }
    }

    /** Records the {@code width} bytes just written; called only while a {@link WireTrace} records. */
    private void traced(int width, String type) {
        WireTrace.note(buf, buf.writerIndex() - width, buf.writerIndex(), type);
    }
}
