package org.jceph.cli.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jceph.encoding.WireTrace;
import org.jceph.messenger.Message;
import org.jceph.messenger.MessageType;
import org.jceph.messenger.mon.MonMessages;
import org.jceph.rados.internal.OsdOpMessages;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol/messages.md is a recording of the codecs: the messages the issue names are there
 * with the codecs' header versions, every recorded front is tiled by its steps (nothing written
 * that the trace missed), and every message of a recorded type in the captured Pacific and
 * Tentacle sessions decodes with a trace that tiles its front too.
 */
class MessageReferenceTest {
    private static final List<MessageReference.Entry> ENTRIES = MessageReference.entries(ProtocolReferenceTest.CAPTURES);
    private static final Map<String, MessageReference.Entry> BY_NAME = MessageReference.byName(ENTRIES);

    private static List<String> types(MessageReference.Entry e) {
        return e.steps().stream().map(WireTrace.Step::type).toList();
    }

    @Test
    void theMessagesTheIssueNamesAreCovered() {
        for (String n : List.of("MOSDOp", "MOSDOpReply", "MOSDMap", "MWatchNotify", "MMonCommand", "MMonCommandAck",
                "MMonSubscribe", "MMonGetMap", "MMonMap", "MMonGetVersion", "MMonGetVersionReply")) {
            assertTrue(BY_NAME.containsKey(n), n + " is missing from messages.md: " + BY_NAME.keySet());
        }
        MessageReference.Entry op = BY_NAME.get("MOSDOp");
        assertEquals(MessageType.OSD_OP.number(), op.type());
        assertEquals(OsdOpMessages.HEAD_VERSION, op.message().version());
        assertEquals(OsdOpMessages.COMPAT_VERSION, op.message().compatVersion());
        assertEquals(2, types(op).stream().filter("ceph_osd_op"::equals).count(), types(op).toString());
        assertEquals(MessageType.MON_SUBSCRIBE.number(), BY_NAME.get("MMonSubscribe").type());
        assertTrue(BY_NAME.get("MOSDMap").sample().startsWith("captured"), BY_NAME.get("MOSDMap").sample());
    }

    @Test
    void everyRecordedFrontIsTiledByItsSteps() {
        List<String> problems = new ArrayList<>();
        for (MessageReference.Entry e : ENTRIES) {
            problems.addAll(MessageReference.gaps(e));
            assertTrue(e.steps().stream().allMatch(s -> !s.site().equals("?")), e.name() + " has a step without a codec");
        }
        assertEquals(List.of(), problems);
    }

    /**
     * Two independent descriptions of each front, the codec's (traced) and jceph decode's
     * annotator, agree on every field boundary, for every message decode knows.
     */
    @Test
    void theCodecsAndTheDecodeAnnotatorAgreeOnEveryFieldBoundary() {
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (MessageReference.Entry e : ENTRIES) {
            List<String> names = MessageReference.names(e);
            if (names == null) {
                continue;
            }
            compared++;
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i) == null) {
                    problems.add(e.name() + ": " + e.steps().get(i));
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(compared >= 12, "messages compared: " + compared);
    }

    @Test
    void mosdOpIsWhatItsJavadocSays() {
        // spg_t | u32 hash | u32 epoch | u32 flags | osd_reqid_t | 24-byte blkin trace | u32 client_inc | utime
        // | object_locator_t | string oid | u16 n | n x ceph_osd_op | u64 snapid | u64 snap_seq | vector snaps
        // | s32 retry_attempt | u64 features
        List<String> top = BY_NAME.get("MOSDOp").steps().stream().filter(s -> s.depth() == 0)
                .map(WireTrace.Step::type).toList();
        assertEquals(List.of("struct SPgId v1 compat 1", "le32", "le32", "le32", "struct OsdReqId v2 compat 2",
                "bytes[24]", "le32", "utime", "struct ObjectLocator v6 compat 3", "string", "le16", "ceph_osd_op",
                "ceph_osd_op", "le64", "le64", "le32 count", "s32", "le64"), top);
    }

    @Test
    void everyCapturedMessageOfARecordedTypeDecodesWithATiledTrace() {
        int checked = 0;
        for (String name : List.of("pacific-16.2.15-crc-server.bin", "tentacle-20.2.4-crc-server.bin")) {
            for (Message m : MessageReference.messages(ProtocolReferenceTest.CAPTURES.load(name))) {
                MessageReference.Entry ref = ENTRIES.stream().filter(e -> !e.sent() && e.type() == m.type()
                        && e.sample().startsWith("captured")).findFirst().orElse(null);
                if (ref == null) {
                    continue;
                }
                var decoded = new MessageReference.Entry(ref.name(), m.type(), false, ref.codec(), name, m,
                        WireTrace.record(() -> decode(ref, m)));
                assertEquals(List.of(), MessageReference.gaps(decoded), name);
                // the same kinds of step as the reference shows, up to repetition of list elements
                assertTrue(new java.util.HashSet<>(types(ref)).containsAll(types(decoded)),
                        name + " " + ref.name() + ": " + types(decoded) + " vs " + types(ref));
                checked++;
            }
        }
        assertTrue(checked >= 4, "captured messages checked: " + checked);
    }

    private static void decode(MessageReference.Entry ref, Message m) {
        switch (m.type()) {
            case 4 -> MonMessages.decodeMonMap(m);
            case 41 -> MonMessages.decodeOsdMap(m);
            case 62 -> org.jceph.rados.internal.MonStatMessages.decodeConfig(m);
            case 20 -> org.jceph.rados.internal.MonStatMessages.decodeVersion(m);
            default -> throw new AssertionError("no decoder for " + ref.name());
        }
    }
}
