package org.jceph.messenger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * One Ceph message: type and encoding versions from its {@code M*.h} class, a transaction id, and
 * the three payload parts. {@code seq} is assigned by the connection (0 until sent).
 *
 * <p>The front and middle are small byte arrays. The data part, which carries object bytes, is a
 * Netty {@link ByteBuf} so that it crosses the messenger without being copied:
 * <ul>
 *   <li>Sending: the connection reads the message's parts in place (it keeps its own reference
 *   to {@code data} until the bytes are written; the caller's reference stays the caller's). The
 *   caller must not change the parts' bytes until the send future completes.</li>
 *   <li>Receiving: a delivered message's {@code data} is a view of the connection's receive
 *   buffers, valid only while the listener runs; the connection releases it when the listener
 *   returns. A listener that keeps the data (or the message) beyond its call must copy it
 *   ({@link #dataBytes()}, {@link #copy()}) or {@code retain()} the buffer and release it later.</li>
 * </ul>
 * Messages built from byte arrays ({@link #of}, the byte[] constructor) wrap them, uncopied, in
 * unpooled buffers that need no release.
 */
public record Message(int type, int version, int compatVersion, int priority, long tid, long seq,
                      byte[] front, byte[] middle, ByteBuf data) {
    /** CEPH_MSG_PRIO_* (src/include/msgr.h). */
    public static final int PRIO_LOW = 64;
    public static final int PRIO_DEFAULT = 127;
    public static final int PRIO_HIGH = 196;
    public static final int PRIO_HIGHEST = 255;

    public Message {
        if (data == null) {
            throw new NullPointerException("data");
        }
    }

    /** A message whose data part is {@code data}, wrapped (not copied). */
    public Message(int type, int version, int compatVersion, int priority, long tid, long seq,
                   byte[] front, byte[] middle, byte[] data) {
        this(type, version, compatVersion, priority, tid, seq, front, middle, wrap(data));
    }

    public static Message of(int type, int version, int compatVersion, byte[] front) {
        return new Message(type, version, compatVersion, PRIO_DEFAULT, 0, 0, front, new byte[0], Unpooled.EMPTY_BUFFER);
    }

    private static ByteBuf wrap(byte[] data) {
        return data.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(data);
    }

    public Message withTid(long newTid) {
        return new Message(type, version, compatVersion, priority, newTid, seq, front, middle, data);
    }

    /** Number of data bytes (the readable bytes of {@link #data()}). */
    public int dataLength() {
        return data.readableBytes();
    }

    /** A copy of the data part, for the few small uses that want an array. */
    public byte[] dataBytes() {
        return ByteBufUtil.getBytes(data, data.readerIndex(), data.readableBytes(), true);
    }

    /** This message with its data copied into an unpooled buffer: safe to keep after the listener returns. */
    public Message copy() {
        return new Message(type, version, compatVersion, priority, tid, seq, front, middle,
                Unpooled.wrappedBuffer(dataBytes()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.type == type && m.version == version && m.compatVersion == compatVersion
                && m.priority == priority && m.tid == tid && m.seq == seq && Arrays.equals(m.front, front)
                && Arrays.equals(m.middle, middle) && ByteBufUtil.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return (type * 31 + Long.hashCode(tid)) * 31 + Arrays.hashCode(front);
    }

    @Override
    public String toString() {
        return "Message[type=" + type + " v" + version + "/" + compatVersion + " tid=" + tid + " seq=" + seq
                + " front=" + front.length + " middle=" + middle.length + " data=" + data.readableBytes() + "]";
    }
}
