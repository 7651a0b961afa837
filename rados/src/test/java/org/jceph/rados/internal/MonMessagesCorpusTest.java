package org.jceph.rados.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.jceph.encoding.CephDecoder;
import org.jceph.fixtures.Corpus;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.junit.jupiter.api.Test;

/**
 * The monitor messages of pool snapshots and map versions against librados' own, as the
 * ceph-object-corpus keeps them (archives up to 11.2.0): MPoolOp is re-encoded byte for byte from
 * each sample's fields, MPoolOpReply, MMonGetVersion and MMonGetVersionReply decode to the
 * fields the samples hold. A sample is Ceph's encode_message framing: the 53-byte
 * ceph_msg_header, the 13-byte old footer, then front, middle and data as u32-length blobs.
 */
class MonMessagesCorpusTest {
    /** One sample's header fields and front. */
    private record Framed(int type, int version, byte[] front) {
    }

    private static Framed framed(Corpus.Sample s) {
        CephDecoder d = CephDecoder.of(s.bytes(), s.toString());
        d.readU64Le(); // seq
        d.readU64Le(); // tid
        int type = d.readU16Le();
        d.readU16Le(); // priority
        int version = d.readU16Le();
        long frontLen = d.readU32Le();
        d.skip(4 + 4 + 2 + 9 + 2 + 2 + 4); // middle_len, data_len, data_off, src, compat_version, reserved, crc
        d.skip(13); // ceph_msg_footer_old: three crcs and flags
        byte[] front = d.readBlob();
        if (frontLen != 0) { // dumps before Cuttlefish left the header's lengths at zero
            assertEquals(frontLen, front.length, s.toString());
        }
        assertEquals(0, d.readBlob().length, s + ": no middle");
        assertEquals(0, d.readBlob().length, s + ": no data");
        d.expectEnd();
        return new Framed(type, version, front);
    }

    private static List<Corpus.Sample> samples(String type) {
        if (Corpus.root().isEmpty()) {
            throw new AssertionError("the ceph-object-corpus is missing: expected it at " + Corpus.expectedLocation()
                    + " (or pass -Djceph.corpus=PATH)");
        }
        List<Corpus.Sample> all = Corpus.samples(type);
        assertTrue(all.size() >= 3, "too few " + type + " samples: " + all.size());
        return all;
    }

    @Test
    void ourMPoolOpIsLibradosBytesForEverySnapshotOp() {
        int compared = 0;
        for (Corpus.Sample s : samples("MPoolOp")) {
            Framed f = framed(s);
            assertEquals(MessageType.POOLOP.number(), f.type(), s.toString());
            if (f.version() != PoolOps.HEAD_VERSION) {
                continue; // v2/v3 carried an u8 crush rule; we send v4 only
            }
            CephDecoder d = CephDecoder.of(f.front(), s.toString());
            long epoch = d.readU64Le();
            d.readS16Le();
            d.readU64Le();
            UUID fsid = d.readUuid();
            long pool = d.readU32Le();
            int op = (int) d.readU32Le();
            d.readU64Le(); // auid
            long snapId = d.readU64Le();
            String name = d.readString();
            if (op != PoolOps.CREATE_SNAP && op != PoolOps.DELETE_SNAP && op != PoolOps.CREATE_UNMANAGED_SNAP
                    && op != PoolOps.DELETE_UNMANAGED_SNAP) {
                continue; // pool create/delete: librados sends mon commands for those now, as we do
            }
            Message ours = PoolOps.request(fsid, epoch, pool, op, snapId, name);
            assertArrayEquals(f.front(), ours.front(), s + " op 0x" + Integer.toHexString(op));
            assertEquals(f.version(), ours.version());
            compared++;
        }
        assertTrue(compared >= 4, "snapshot ops compared: " + compared);
    }

    @Test
    void everyMPoolOpReplyDecodesToItsCodeEpochAndData() {
        int withData = 0;
        for (Corpus.Sample s : samples("MPoolOpReply")) {
            Framed f = framed(s);
            assertEquals(MessageType.POOLOP_REPLY.number(), f.type(), s.toString());
            PoolOps.Reply r = PoolOps.decode(Message.of(f.type(), f.version(), 1, f.front()));
            CephDecoder d = CephDecoder.of(f.front(), s.toString());
            long version = d.readU64Le();
            assertEquals(version, r.epoch(), s + ": the monitor replies at the epoch it names in the header");
            assertTrue(r.code() <= 0, s.toString());
            if (r.data().length > 0) {
                assertEquals(8, r.data().length, s + ": a self-managed snapshot id");
                withData++;
            }
        }
        assertTrue(withData >= 1, "no reply carried a snapshot id");
    }

    @Test
    void monGetVersionRequestsAreOursAndRepliesDecode() {
        for (Corpus.Sample s : samples("MMonGetVersion")) {
            Framed f = framed(s);
            CephDecoder d = CephDecoder.of(f.front(), s.toString());
            long handle = d.readU64Le();
            String what = d.readString();
            Message ours = MonStatMessages.getVersion(handle, what);
            assertEquals(f.type(), ours.type(), s.toString());
            assertEquals(f.version(), ours.version(), s.toString());
            assertArrayEquals(f.front(), ours.front(), s.toString());
        }
        for (Corpus.Sample s : samples("MMonGetVersionReply")) {
            Framed f = framed(s);
            assertEquals(MessageType.MON_GET_VERSION_REPLY.number(), f.type(), s.toString());
            CephDecoder d = CephDecoder.of(f.front(), s.toString());
            long handle = d.readU64Le();
            long newest = d.readU64Le();
            long oldest = f.version() >= 2 ? d.readU64Le() : 0;
            MonStatMessages.Version v = MonStatMessages.decodeVersion(Message.of(f.type(), f.version(), 1, f.front()));
            assertEquals(handle, v.handle(), s.toString());
            assertEquals(newest, v.newest(), s.toString());
            assertEquals(oldest, v.oldest(), s.toString());
            assertTrue(v.oldest() <= v.newest(), s.toString());
        }
    }
}
