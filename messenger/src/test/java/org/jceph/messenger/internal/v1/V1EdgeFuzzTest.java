package org.jceph.messenger.internal.v1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jceph.encoding.CephFeature;
import org.jceph.encoding.DecodeException;
import org.jceph.fixtures.EdgeFuzz;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's edge-case fuzzing of the msgr1 decoder ({@link V1Reader}: server hello, connect
 * replies, message header/front/middle/data/footer, acks and keepalives): the server streams of
 * captured Pacific 16.2.15 and Tentacle 20.2.4 sessions with 1 to 16 stacked mutations
 * ({@link EdgeFuzz}). Only DecodeException (V1FrameException), bounded allocation, each stream
 * decoded within 10 s. Fixed-seed jqwik slice with edge cases first; varying-seed slice with its
 * seed printed ({@code -Dcodecfuzz.seed}/{@code -Dcodecfuzz.tries}).
 */
class V1EdgeFuzzTest {
    /** Decodes a whole server stream as a client session would, until the reader wants more bytes. */
    static void readServerStream(byte[] stream) {
        V1Reader r = new V1Reader(1 << 20);
        ByteBuf in = Unpooled.wrappedBuffer(stream);
        if (r.readServerHello(in) == null) {
            return;
        }
        for (int i = 0; i < 16; i++) {
            V1Codec.ConnectReply rep = r.readConnectReply(in);
            if (rep == null) {
                return;
            }
            if (rep.tag() == Tags.READY || rep.tag() == Tags.SEQ) {
                r.features(rep.features() & CephFeature.CLIENT_SUPPORTED);
                break;
            }
        }
        for (int i = 0; i < 256; i++) {
            if (r.next(in) == null) {
                return;
            }
        }
    }

    static List<EdgeFuzz.Target> targets() {
        List<EdgeFuzz.Target> t = new ArrayList<>();
        for (String f : List.of("pacific-16.2.15-v1-mon-server.bin", "pacific-16.2.15-v1-osd-server.bin",
                "pacific-16.2.15-v1-cli-mon-server.bin", "tentacle-20.2.4-v1-mon-server.bin")) {
            byte[] b = V1Capture.load(f);
            t.add(new EdgeFuzz.Target(f, java.util.Arrays.copyOf(b, Math.min(b.length, 8192)),
                    V1EdgeFuzzTest::readServerStream, e -> e instanceof DecodeException));
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
        EdgeFuzz.runSlice("msgr1", targets(), 10_000, 10_000);
    }
}
