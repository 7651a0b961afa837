package org.jceph.messenger;

import java.util.Arrays;

/**
 * One Ceph message: type and encoding versions from its {@code M*.h} class, a transaction id, and
 * the three payload parts. {@code seq} is assigned by the connection (0 until sent).
 * The byte arrays are owned by the message; callers must not change them after sending.
 */
public record Message(int type, int version, int compatVersion, int priority, long tid, long seq,
                      byte[] front, byte[] middle, byte[] data) {
    /** CEPH_MSG_PRIO_* (src/include/msgr.h). */
    public static final int PRIO_LOW = 64;
    public static final int PRIO_DEFAULT = 127;
    public static final int PRIO_HIGH = 196;
    public static final int PRIO_HIGHEST = 255;

    public static Message of(int type, int version, int compatVersion, byte[] front) {
        return new Message(type, version, compatVersion, PRIO_DEFAULT, 0, 0, front, new byte[0], new byte[0]);
    }

    public Message withTid(long newTid) {
        return new Message(type, version, compatVersion, priority, newTid, seq, front, middle, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.type == type && m.version == version && m.compatVersion == compatVersion
                && m.priority == priority && m.tid == tid && m.seq == seq && Arrays.equals(m.front, front)
                && Arrays.equals(m.middle, middle) && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return (type * 31 + Long.hashCode(tid)) * 31 + Arrays.hashCode(front);
    }

    @Override
    public String toString() {
        return "Message[type=" + type + " v" + version + "/" + compatVersion + " tid=" + tid + " seq=" + seq
                + " front=" + front.length + " middle=" + middle.length + " data=" + data.length + "]";
    }
}
