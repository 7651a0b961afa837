package org.jceph.messenger.internal.v2;

import java.util.Arrays;

/**
 * One decoded msgr2 frame: its tag and up to four segments (control frames use one; MESSAGE uses
 * header2, front, middle, data). Segments are owned copies, never views of the socket buffer.
 */
public record Frame(Tag tag, byte[][] segments) {
    public static final int MAX_SEGMENTS = 4;

    public Frame {
        if (segments.length < 1 || segments.length > MAX_SEGMENTS) {
            throw new IllegalArgumentException("a frame has 1 to 4 segments, got " + segments.length);
        }
    }

    public static Frame control(Tag tag, byte[] payload) {
        return new Frame(tag, new byte[][] {payload});
    }

    public byte[] segment(int i) {
        return i < segments.length ? segments[i] : new byte[0];
    }

    /** Control frames carry everything in segment 0. */
    public byte[] payload() {
        return segments[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.tag == tag && Arrays.deepEquals(f.segments, segments);
    }

    @Override
    public int hashCode() {
        return tag.hashCode() * 31 + Arrays.deepHashCode(segments);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(tag.name()).append('[');
        for (int i = 0; i < segments.length; i++) {
            sb.append(i == 0 ? "" : ",").append(segments[i].length);
        }
        return sb.append(" bytes]").toString();
    }
}
