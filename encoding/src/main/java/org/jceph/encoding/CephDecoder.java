package org.jceph.encoding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads Ceph's encoding (src/include/encoding.h, denc.h) from a {@link ByteBuf}: little-endian fixed
 * width integers, length-prefixed strings and blobs, containers, and versioned envelopes.
 *
 * <p>The input is hostile. Every read first checks that the bytes it needs are there, within the
 * innermost open envelope (a struct can never read past the length it declared). Every count is
 * checked against what remains <em>before</em> anything is allocated: a list of {@code n} elements
 * whose elements take at least {@code m} bytes each needs {@code n * m} bytes left. A violation
 * throws {@link DecodeException} naming the struct path and the offset; nothing else is thrown for
 * bad bytes.
 *
 * <p>Offsets in errors are relative to the reader index at construction. Not thread-safe: one
 * decoder per input.
 */
public final class CephDecoder {
    private static final int MAX_DEPTH = 64;

    private final ByteBuf buf;
    private final int base;
    private int limit;
    /** The struct names open now, for error messages; grown on demand up to MAX_DEPTH (most inputs nest a few levels). */
    private String[] names = new String[8];
    private int depth;

    /** Decodes {@code buf} from its reader index to its writer index; {@code root} names the input. */
    public CephDecoder(ByteBuf buf, String root) {
        this.buf = buf;
        this.base = buf.readerIndex();
        this.limit = buf.writerIndex();
        this.names[0] = root;
        this.depth = 1;
    }

    public static CephDecoder of(byte[] bytes, String root) {
        return new CephDecoder(Unpooled.wrappedBuffer(bytes), root);
    }

    /** The buffer being read; its reader index is the decoder's position. */
    public ByteBuf buffer() {
        return buf;
    }

    /** Bytes read so far, counted from the reader index at construction. */
    public int offset() {
        return buf.readerIndex() - base;
    }

    /** Bytes left before the end of the innermost open envelope (or of the input). */
    public int remaining() {
        return limit - buf.readerIndex();
    }

    public boolean hasRemaining() {
        return remaining() > 0;
    }

    /** The struct path for error messages, outermost first: {@code OSDMap/pg_pool_t}. */
    public String path() {
        StringBuilder sb = new StringBuilder(names[0]);
        for (int i = 1; i < depth; i++) {
            sb.append('/').append(names[i]);
        }
        return sb.toString();
    }

    /** An error at the current offset, naming the current struct path. */
    public DecodeException error(String reason) {
        return new DecodeException(path(), offset(), reason);
    }

    /** Names an unversioned struct (pg_t, entity_name_t) for error messages until {@link #pop()}. */
    public void push(String struct) {
        if (depth == MAX_DEPTH) {
            throw error("structs nested deeper than " + MAX_DEPTH);
        }
        if (depth == names.length) {
            names = java.util.Arrays.copyOf(names, Math.min(MAX_DEPTH, names.length * 2));
        }
        names[depth++] = struct;
    }

    public void pop() {
        if (depth > 1) {
            depth--;
        }
    }

    private void need(int n, String what) {
        if (n < 0 || n > limit - buf.readerIndex()) {
            throw error(what + " needs " + Integer.toUnsignedString(n) + " bytes, " + remaining() + " remain");
        }
    }

    // ---- fixed width -------------------------------------------------------------------------

    public int readU8() {
        need(1, "u8");
        int result = buf.readUnsignedByte();
        if (WireTrace.on()) {
            traced(1, "u8");
        }
        return result;
    }

    public byte readS8() {
        need(1, "s8");
        byte result = buf.readByte();
        if (WireTrace.on()) {
            traced(1, "s8");
        }
        return result;
    }

    /** A {@code bool}: one byte, any non-zero value is true (as Ceph's decoder treats it). */
    public boolean readBool() {
        boolean result = readU8() != 0;
        if (WireTrace.on()) {
            traced(1, "bool");
        }
        return result;
    }

    public int readU16Le() {
        need(2, "u16");
        int result = buf.readUnsignedShortLE();
        if (WireTrace.on()) {
            traced(2, "le16");
        }
        return result;
    }

    public short readS16Le() {
        need(2, "s16");
        short result = buf.readShortLE();
        if (WireTrace.on()) {
            traced(2, "s16");
        }
        return result;
    }

    /** Big-endian u16: only in sockaddr ports and the legacy address family. */
    public int readU16Be() {
        need(2, "u16be");
        int result = buf.readUnsignedShort();
        if (WireTrace.on()) {
            traced(2, "be16");
        }
        return result;
    }

    public long readU32Le() {
        need(4, "u32");
        long result = buf.readUnsignedIntLE();
        if (WireTrace.on()) {
            traced(4, "le32");
        }
        return result;
    }

    public int readS32Le() {
        need(4, "s32");
        int result = buf.readIntLE();
        if (WireTrace.on()) {
            traced(4, "s32");
        }
        return result;
    }

    /** A u64 as Java's long bit pattern (values above 2^63-1 come back negative). */
    public long readU64Le() {
        need(8, "u64");
        long result = buf.readLongLE();
        if (WireTrace.on()) {
            traced(8, "le64");
        }
        return result;
    }

    public long readS64Le() {
        need(8, "s64");
        long result = buf.readLongLE();
        if (WireTrace.on()) {
            traced(8, "s64");
        }
        return result;
    }

    public float readF32Le() {
        need(4, "float");
        float result = Float.intBitsToFloat(buf.readIntLE());
        if (WireTrace.on()) {
            traced(4, "f32");
        }
        return result;
    }

    public double readF64Le() {
        need(8, "double");
        double result = Double.longBitsToDouble(buf.readLongLE());
        if (WireTrace.on()) {
            traced(8, "f64");
        }
        return result;
    }

    // ---- lengths and byte strings --------------------------------------------------------------

    /**
     * A u32 element count for a container whose elements take at least {@code minElementBytes}
     * each. Rejects counts that could not fit in what remains, so no caller allocates for a lie.
     */
    public int readCountLe(String what, int minElementBytes) {
        int at = buf.readerIndex();
        long n = readU32Le();
        long min = Math.max(1, minElementBytes); // every Ceph element takes at least a byte
        if (n * min > remaining() || n > Integer.MAX_VALUE - 8) {
            throw new DecodeException(path(), offset() - 4,
                    what + " count " + n + " cannot fit in the " + remaining() + " bytes that remain");
        }
        int result = (int) n;
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.readerIndex(), what.equals("blob") || what.equals("string") ? "le32 length" : "le32 count (" + what + ")");
        }
        return result;
    }

    /** A u32 byte length that must fit in what remains. */
    public int readLengthLe(String what) {
        return readCountLe(what, 1);
    }

    public byte[] readBytes(int n) {
        int at = buf.readerIndex();
        need(n, "bytes");
        byte[] out = new byte[n];
        buf.readBytes(out);
        byte[] result = out;
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.readerIndex(), "bytes[" + n + "]");
        }
        return result;
    }

    /** A view of the next {@code n} bytes (no copy); it shares the input's memory and lifetime. */
    public ByteBuf readSlice(int n) {
        int at = buf.readerIndex();
        need(n, "bytes");
        ByteBuf result = buf.readSlice(n);
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.readerIndex(), "bytes[" + n + "]");
        }
        return result;
    }

    public void skip(int n) {
        need(n, "skipped bytes");
        int at = buf.readerIndex();
        buf.skipBytes(n);
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.readerIndex(), "skipped[" + n + "]");
        }
    }

    /** A {@code bufferlist} or blob: u32 length then the bytes, copied. */
    public byte[] readBlob() {
        int at = buf.readerIndex();
        byte[] result = readBytes(readLengthLe("blob"));
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.readerIndex(), "blob");
        }
        return result;
    }

    /** A {@code bufferlist} as a view, no copy. */
    public ByteBuf readBlobSlice() {
        int at = buf.readerIndex();
        ByteBuf result = readSlice(readLengthLe("blob"));
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.readerIndex(), "blob");
        }
        return result;
    }

    /** A {@code std::string}: u32 length then UTF-8 bytes, no terminator. */
    public String readString() {
        int at = buf.readerIndex();
        int n = readLengthLe("string");
        need(n, "string");
        String s = buf.toString(buf.readerIndex(), n, StandardCharsets.UTF_8);
        buf.skipBytes(n);
        String result = s;
        if (WireTrace.on()) {
            WireTrace.note(buf, at, buf.readerIndex(), "string");
        }
        return result;
    }

    // ---- common value types ------------------------------------------------------------------

    /** {@code uuid_d}: 16 raw bytes, in the order they print. */
    public UUID readUuid() {
        need(16, "uuid_d");
        UUID result = new UUID(buf.readLong(), buf.readLong());
        if (WireTrace.on()) {
            traced(16, "uuid");
        }
        return result;
    }

    /** {@code utime_t}: u32 seconds, u32 nanoseconds. */
    public UTime readUtime() {
        long sec = readU32Le();
        long nsec = readU32Le();
        UTime result = new UTime(sec, nsec);
        if (WireTrace.on()) {
            traced(8, "utime");
        }
        return result;
    }

    /** {@code ceph_timespec}: same bytes as utime_t. */
    public UTime readTimespec() {
        return readUtime();
    }

    // ---- containers --------------------------------------------------------------------------

    /** Reads one element. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(CephDecoder decoder);
    }

    /** {@code vector}/{@code list}/{@code deque}: u32 count then the elements. */
    public <T> List<T> readList(int minElementBytes, Reader<T> element) {
        return readList("list", minElementBytes, element);
    }

    /**
     * {@link #readList(int, Reader)} of a list a malformed count names as {@code what}.
     *
     * @param what the list's name in a {@link DecodeException} (and a wire trace)
     * @param minElementBytes the fewest bytes one element takes, to refuse a count that cannot fit
     * @param element reads one element
     * @return the elements, unmodifiable
     */
    public <T> List<T> readList(String what, int minElementBytes, Reader<T> element) {
        int n = readCountLe(what, minElementBytes);
        List<T> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            out.add(element.read(this));
        }
        return Collections.unmodifiableList(out);
    }

    /** {@code set}: u32 count then the elements, in encoded (sorted) order. */
    public <T> Set<T> readSet(int minElementBytes, Reader<T> element) {
        int n = readCountLe("set", minElementBytes);
        Set<T> out = new LinkedHashSet<>(Math.min(n, 1024) * 2);
        for (int i = 0; i < n; i++) {
            out.add(element.read(this));
        }
        return Collections.unmodifiableSet(out);
    }

    /** {@code map}: u32 count then key, value pairs; encoded order (sorted by key) is kept. */
    public <K, V> Map<K, V> readMap(int minEntryBytes, Reader<K> key, Reader<V> value) {
        int n = readCountLe("map", minEntryBytes);
        Map<K, V> out = new LinkedHashMap<>(Math.min(n, 1024) * 2);
        for (int i = 0; i < n; i++) {
            K k = key.read(this);
            out.put(k, value.read(this));
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@code std::optional}: u8 present flag then the value. */
    public <T> Optional<T> readOptional(Reader<T> value) {
        return readBool() ? Optional.of(value.read(this)) : Optional.empty();
    }

    // ---- versioned envelopes -----------------------------------------------------------------

    /**
     * Opens a versioned struct (Ceph's DECODE_START): u8 struct_v, u8 struct_compat, u32 length.
     * Fails with {@link UnsupportedVersionException} when struct_compat is above
     * {@code decoderVersion}; the struct then may not be read. Until {@link #endStruct}, reads are
     * confined to the declared length.
     */
    public Envelope beginStruct(String struct, int decoderVersion) {
        push(struct);
        int start = offset();
        int v = readU8();
        int compat = readU8();
        if (compat > decoderVersion) {
            throw new UnsupportedVersionException(path(), start, v, compat, decoderVersion);
        }
        int len = readLengthLe(struct + " length");
        int end = buf.readerIndex() + len;
        Envelope env = new Envelope(struct, v, compat, end, limit);
        limit = end;
        traceEnvelope(start, struct, v, compat);
        return env;
    }

    /**
     * Opens a struct that older Ceph wrote without compat byte or length (Ceph's
     * DECODE_START_LEGACY_COMPAT_LEN): struct_v always; struct_compat only from version
     * {@code compatFrom}; the u32 length only from version {@code lengthFrom}. Without a length the
     * struct is bounded only by its enclosing struct.
     */
    public Envelope beginStructLegacy(String struct, int decoderVersion, int compatFrom, int lengthFrom) {
        push(struct);
        int start = offset();
        int v = readU8();
        int compat = v;
        if (v >= compatFrom) {
            compat = readU8();
            if (compat > decoderVersion) {
                throw new UnsupportedVersionException(path(), start, v, compat, decoderVersion);
            }
        }
        int end = limit;
        if (v >= lengthFrom) {
            int len = readLengthLe(struct + " length");
            end = buf.readerIndex() + len;
        }
        Envelope env = new Envelope(struct, v, compat, end, limit);
        limit = end;
        traceEnvelope(start, struct, v, compat);
        return env;
    }

    private void traceEnvelope(int start, String struct, int v, int compat) {
        if (WireTrace.on()) {
            WireTrace.note(buf, base + start, buf.readerIndex(), "struct " + struct + " v" + v + " compat " + compat);
            WireTrace.enter(buf);
        }
    }

    /**
     * Closes a struct opened by {@link #beginStructLegacy} without a length: there is nothing to
     * skip, the decoder stays where the fields ended.
     */
    public void endStructLegacy(Envelope env) {
        if (env.end() == env.outerLimit()) {
            limit = env.outerLimit();
            pop();
            if (WireTrace.on()) {
                WireTrace.exit(buf);
            }
        } else {
            endStruct(env);
        }
    }

    /**
     * Closes a struct opened by {@link #beginStruct}: skips whatever the struct holds beyond the
     * fields this decoder knows (newer versions append fields) and restores the outer bound.
     */
    public void endStruct(Envelope env) {
        int at = buf.readerIndex();
        buf.readerIndex(env.end());
        limit = env.outerLimit();
        pop();
        if (WireTrace.on()) {
            if (env.end() > at) {
                WireTrace.note(buf, at, env.end(), "skipped[" + (env.end() - at) + "] (fields this decoder does not read)");
            }
            WireTrace.exit(buf);
        }
    }

    /** Fails unless every byte of the input was consumed. */
    public void expectEnd() {
        if (remaining() != 0) {
            throw error(remaining() + " bytes left over after the struct");
        }
    }

    /** An open versioned struct: its version, its compat version and where it ends. */
    public record Envelope(String struct, int version, int compat, int end, int outerLimit) {
        /** Bytes of the body that the decoder has not read yet. */
        public int remainingIn(CephDecoder decoder) {
            return end - decoder.buf.readerIndex();
        }
    }

    /** Records the {@code width} bytes just read; called only while a {@link WireTrace} records. */
    private void traced(int width, String type) {
        WireTrace.note(buf, buf.readerIndex() - width, buf.readerIndex(), type);
    }
}
