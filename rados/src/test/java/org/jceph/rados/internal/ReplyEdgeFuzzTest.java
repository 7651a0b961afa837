package org.jceph.rados.internal;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jceph.encoding.DecodeException;
import org.jceph.fixtures.Corpus;
import org.jceph.fixtures.EdgeFuzz;
import org.jceph.messenger.Message;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's edge-case fuzzing of MOSDOpReply decoding ({@link OsdOpMessages#decode}): the v8
 * reply of {@link ReplyFuzzTest} and the corpus' MOSDOpReply payloads (Argonaut to Kraken, decoded
 * as header versions 6, 7 and 8, since the corpus does not store the header), each with a data
 * segment shorter and longer than the ops claim, and 1 to 16 stacked mutations ({@link EdgeFuzz}).
 * Only DecodeException, bounded allocation, each decode within 10 s.
 */
class ReplyEdgeFuzzTest {
    static java.util.function.Consumer<byte[]> decoder(int version, int dataLen) {
        return front -> OsdOpMessages.decode(new Message(43, version, 2, 127, 5, 1, front, new byte[0],
                new byte[dataLen]));
    }

    static List<EdgeFuzz.Target> targets() {
        List<EdgeFuzz.Target> t = new ArrayList<>();
        java.util.function.Predicate<Throwable> typed = e -> e instanceof DecodeException;
        for (int dataLen : new int[] {0, 6, 4096}) {
            t.add(new EdgeFuzz.Target("v8 reply, data " + dataLen, ReplyFuzzTest.sampleFront(), decoder(8, dataLen),
                    typed));
        }
        if (Corpus.root().isEmpty()) {
            throw new AssertionError("the ceph-object-corpus is missing: expected it at " + Corpus.expectedLocation()
                    + " (or pass -Djceph.corpus=PATH)");
        }
        for (Corpus.Sample s : Corpus.samples("MOSDOpReply")) {
            for (int v = 6; v <= 8; v++) {
                t.add(new EdgeFuzz.Target("corpus " + s + " as v" + v, s.bytes(), decoder(v, 64), typed));
            }
        }
        return t;
    }

    @Provide
    Arbitrary<EdgeFuzz.Case> cases() {
        return EdgeFuzz.cases(targets());
    }

    @Property(tries = 2000, seed = "20261217", edgeCases = EdgeCasesMode.FIRST)
    void fixedSeedSlice(@ForAll("cases") EdgeFuzz.Case c) {
        c.check(10_000);
    }

    @Test
    void varyingSeedSlice() {
        EdgeFuzz.runSlice("MOSDOpReply", targets(), 20_000, 10_000);
    }
}
