package org.jceph.messenger.internal.v2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * One decoded msgr2 frame: its tag and up to four segments (control frames use one; MESSAGE uses
 * header2, front, middle, data). Segments 0..2 are small owned arrays (wrapped); the data segment
 * (3) from {@link FrameReader} is a retained view of the received bytes, not a copy, so a frame
 * from the reader must be {@link #release() released} once handled.
 */
public final class Frame {
    /** frames_v2.h MAX_NUM_SEGMENTS (the preamble has this many descriptors). */
    public static final int MAX_SEGMENTS = org.jceph.encoding.packed.CephStructs.MSGR2_MAX_SEGMENTS;

    private final Tag tag;
    private final ByteBuf[] segments;

    public Frame(Tag tag, ByteBuf[] segments) {
        if (segments.length < 1 || segments.length > MAX_SEGMENTS) {
            throw new IllegalArgumentException("a frame has 1 to 4 segments, got " + segments.length);
        }
        this.tag = tag;
        this.segments = segments;
    }

    public Frame(Tag tag, byte[][] segments) {
        this(tag, wrap(segments));
    }

    private static ByteBuf[] wrap(byte[][] segs) {
        ByteBuf[] out = new ByteBuf[segs.length];
        for (int i = 0; i < segs.length; i++) {
            out[i] = Unpooled.wrappedBuffer(segs[i]);
        }
        return out;
    }

    public static Frame control(Tag tag, byte[] payload) {
        return new Frame(tag, new byte[][] {payload});
    }

    public Tag tag() {
        return tag;
    }

    public int numSegments() {
        return segments.length;
    }

    /** Segment {@code i}'s bytes as an array (the backing array itself when it is exactly the segment). */
    public byte[] segment(int i) {
        if (i >= segments.length) {
            return new byte[0];
        }
        ByteBuf b = segments[i];
        return ByteBufUtil.getBytes(b, b.readerIndex(), b.readableBytes(), false);
    }

    /** Segment {@code i} as a buffer (owned by the frame: retain it to keep it past {@link #release()}). */
    public ByteBuf buf(int i) {
        return i < segments.length ? segments[i] : Unpooled.EMPTY_BUFFER;
    }

    /** Every segment as an array (copies of views; for tests and tools). */
    public byte[][] segments() {
        byte[][] out = new byte[segments.length][];
        for (int i = 0; i < segments.length; i++) {
            out[i] = segment(i);
        }
        return out;
    }

    /** Control frames carry everything in segment 0. */
    public byte[] payload() {
        return segment(0);
    }

    /** Releases the segments' buffers. */
    public void release() {
        for (ByteBuf b : segments) {
            if (b != Unpooled.EMPTY_BUFFER) {
                b.release();
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Frame f) || f.tag != tag || f.segments.length != segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            if (!ByteBufUtil.equals(f.segments[i], segments[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = tag.hashCode();
        for (ByteBuf b : segments) {
            h = h * 31 + ByteBufUtil.hashCode(b);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(tag.name()).append('[');
        for (int i = 0; i < segments.length; i++) {
            sb.append(i == 0 ? "" : ",").append(segments[i].readableBytes());
        }
        return sb.append(" bytes]").toString();
    }
}
