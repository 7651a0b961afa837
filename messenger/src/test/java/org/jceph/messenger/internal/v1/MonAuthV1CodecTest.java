package org.jceph.messenger.internal.v1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBufUtil;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.junit.jupiter.api.Test;

/** The one MAuth encoder and MAuthReply decoder, shared by the msgr1 handshake and the ticket renewal. */
class MonAuthV1CodecTest {
    @Test
    void mauthHeaderAndFrontArePinned() {
        Message m = MonAuthV1.auth(2, new byte[] {(byte) 0xAB, (byte) 0xCD});
        assertEquals(MessageType.AUTH.number(), m.type());
        assertEquals(1, m.version());
        assertEquals(1, m.compatVersion());
        assertEquals(""
                + "0000000000000000" // paxos version
                + "ffff" //             session_mon -1
                + "0000000000000000" // session_mon_tid
                + "02000000" //         protocol: cephx
                + "02000000" + "abcd" // auth_payload blob
                + "00000000", //        monmap_epoch
                ByteBufUtil.hexDump(m.front()));
    }

    @Test
    void replyWithoutResultMessageReadsAsEmpty() {
        // protocol 2 | result -11 | global_id 42 | result_bl [07] | result_msg "abc"
        byte[] full = ByteBufUtil.decodeHexDump("02000000" + "f5ffffff" + "2a00000000000000" + "0100000007"
                + "03000000616263");
        MonAuthV1.Reply r = MonAuthV1.Reply.decode(Message.of(MessageType.AUTH_REPLY.number(), 1, 1, full));
        assertEquals(2, r.protocol());
        assertEquals(-11, r.result());
        assertEquals(42, r.globalId());
        assertArrayEquals(new byte[] {7}, r.resultBl());
        assertEquals("abc", r.resultMsg());
        byte[] cut = java.util.Arrays.copyOf(full, 4 + 4 + 8 + 5);
        assertEquals("", MonAuthV1.Reply.decode(Message.of(MessageType.AUTH_REPLY.number(), 1, 1, cut)).resultMsg());
    }
}
