package org.jceph.encoding;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.encoding.types.EntityInst;
import org.jceph.encoding.types.HObject;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.OsdReqId;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SPgId;
import org.jceph.encoding.types.SnapContext;
import org.jceph.fixtures.Corpus;

/**
 * Hostile input: corpus samples of every type the encoding module decodes, mutated (bytes
 * flipped, lengths set to huge values, truncated, extended). Decoding may succeed or fail, but
 * the only failure allowed is {@link DecodeException} — no other exception, no OutOfMemoryError,
 * no endless loop.
 */
class DecoderFuzzTest {
    private record Target(String type, Function<CephDecoder, Object> decode) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("entity_addr_t", EntityAddr::decode),
            new Target("entity_addrvec_t", EntityAddrVec::decode),
            new Target("entity_inst_t", EntityInst::decode),
            new Target("eversion_t", EVersion::decode),
            new Target("pg_t", PgId::decode),
            new Target("spg_t", SPgId::decode),
            new Target("osd_reqid_t", OsdReqId::decode),
            new Target("object_locator_t", ObjectLocator::decode),
            new Target("hobject_t", HObject::decode),
            new Target("SnapContext", SnapContext::decode));

    private record Case(Target target, byte[] bytes) {
        @Override
        public String toString() {
            return target.type() + " " + bytes.length + " bytes";
        }
    }

    @Provide
    Arbitrary<Case> mutatedSamples() {
        List<Case> seeds = new ArrayList<>();
        for (Target t : TARGETS) {
            for (Corpus.Sample s : Corpus.samples(t.type())) {
                seeds.add(new Case(t, s.bytes()));
            }
        }
        if (seeds.isEmpty()) {
            // No corpus here: start from small hand-made encodings instead.
            seeds.add(new Case(TARGETS.get(0), new byte[] {1, 1, 1, 12, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
            seeds.add(new Case(TARGETS.get(9), new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}));
        }
        Arbitrary<Case> seed = Arbitraries.of(seeds);
        return Combinators.combine(seed, Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers()).as(DecoderFuzzTest::mutate);
    }

    private static Case mutate(Case c, int kind, int where, int value) {
        byte[] b = c.bytes().clone();
        if (b.length == 0) {
            return c;
        }
        int at = Math.floorMod(where, b.length);
        switch (kind) {
            case 0 -> b[at] ^= (byte) (1 << Math.floorMod(value, 8)); // flip a bit
            case 1 -> { // a huge little-endian u32 where a length may be
                for (int i = 0; i < 4 && at + i < b.length; i++) {
                    b[at + i] = (byte) (value >>> (8 * i) | (i == 3 ? 0x80 : 0));
                }
            }
            case 2 -> b = java.util.Arrays.copyOf(b, at); // truncate
            case 3 -> { // append garbage
                b = java.util.Arrays.copyOf(b, b.length + 1 + Math.floorMod(value, 32));
                b[b.length - 1] = (byte) value;
            }
            default -> b[at] = (byte) value; // overwrite a byte
        }
        return new Case(c.target(), b);
    }

    @Property(tries = 3000)
    void mutatedSamplesDecodeOrFailWithDecodeExceptionOnly(@ForAll("mutatedSamples") Case c) {
        CephDecoder d = CephDecoder.of(c.bytes(), c.target().type());
        try {
            c.target().decode().apply(d);
        } catch (DecodeException expected) {
            assertTrue(expected.offset() >= 0 && expected.offset() <= c.bytes().length, expected.getMessage());
        }
    }
}
