package org.jceph.rados.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.PgId;
import org.jceph.messenger.Message;
import org.junit.jupiter.api.Test;

/** MOSDOpReply decoding of hostile bytes: a typed DecodeException or a reply, nothing else. */
class ReplyFuzzTest {
    /** A well-formed v8 reply with two ops, as an OSD would send it. */
    static byte[] sampleFront() {
        return CephEncoder.toBytes(e -> {
            e.writeString("obj");
            new PgId(2, 0xe).encode(e);
            e.writeU64Le(0x4).writeS32Le(0);
            EVersion.ZERO.encode(e);
            e.writeU32Le(10).writeU32Le(2);
            for (int i = 0; i < 2; i++) {
                io.netty.buffer.ByteBuf b = e.buffer();
                int at = b.writerIndex();
                b.writeZero(38);
                org.jceph.encoding.packed.CephStructs.CEPH_OSD_OP.field("op").setLong(b, at, 0x1201);
                org.jceph.encoding.packed.CephStructs.CEPH_OSD_OP.field("payload_len").setLong(b, at, 3);
            }
            e.writeS32Le(0).writeS32Le(0).writeS32Le(0);
            EVersion.ZERO.encode(e);
            e.writeU64Le(7).writeU8(0);
            e.writeBytes(new byte[24]);
        });
    }

    @Test
    void theSampleDecodes() {
        OsdOpMessages.Reply r = OsdOpMessages.decode(new Message(43, 8, 2, 127, 5, 1, sampleFront(), new byte[0],
                new byte[] {1, 2, 3, 4, 5, 6}));
        assertEquals(List.of(0, 0), r.rvals());
        assertEquals(7, r.userVersion());
        assertEquals(3, r.outputs().get(1).length);
    }

    @Property(tries = 3000)
    void mutatedRepliesFailOnlyWithDecodeException(@ForAll @IntRange(min = 0, max = 200) int at, @ForAll byte value,
            @ForAll @IntRange(min = 0, max = 10) int dataLen, @ForAll @IntRange(min = 0, max = 2) int kind) {
        byte[] front = sampleFront();
        if (kind == 0) {
            front[at % front.length] = value;
        } else if (kind == 1) {
            front = java.util.Arrays.copyOf(front, at % front.length);
        } else {
            int i = at % (front.length - 3);
            front[i] = (byte) 0xff;
            front[i + 1] = (byte) 0xff;
            front[i + 2] = (byte) 0xff;
            front[i + 3] = (byte) 0x7f;
        }
        try {
            OsdOpMessages.decode(new Message(43, 8, 2, 127, 5, 1, front, new byte[0], new byte[dataLen]));
        } catch (DecodeException expected) {
            // typed: fine
        }
    }

    @Test
    void aHugeOpCountIsRejectedBeforeAllocating() {
        byte[] front = sampleFront();
        // the u32 op count sits after oid (4+3), pg_t (17), flags (8), result (4), eversion (12), epoch (4)
        int countAt = 7 + 17 + 8 + 4 + 12 + 4;
        front[countAt] = (byte) 0xff;
        front[countAt + 1] = (byte) 0xff;
        front[countAt + 2] = (byte) 0xff;
        front[countAt + 3] = (byte) 0x7f;
        try {
            OsdOpMessages.decode(new Message(43, 8, 2, 127, 5, 1, front, new byte[0], new byte[0]));
        } catch (DecodeException e) {
            assertEquals(true, e.getMessage().contains("ops count"), e.getMessage());
            return;
        }
        throw new AssertionError("accepted 2^31 ops");
    }

}
