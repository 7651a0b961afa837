package org.jceph.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.encoding.types.EntityInst;
import org.jceph.encoding.types.EntityName;
import org.jceph.encoding.types.HObject;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.OsdReqId;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SPgId;
import org.jceph.encoding.types.SnapContext;
import org.jceph.fixtures.Corpus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Walks ../shared/corpus (ceph-object-corpus samples, read-only): every sample of every type the
 * encoding module can decode must decode, consuming exactly its bytes; where we encode the same
 * version, re-encoding gives identical bytes. Prints a per-type tally.
 */
class CorpusTest {

    /** How to decode and encode one type; {@code sameVersion} says when re-encoding must be identical. */
    private record Codec<T>(String type, Function<CephDecoder, T> decode, BiConsumer<T, CephEncoder> encode,
            Predicate<T> sameVersion) {
    }

    private static final List<Codec<?>> CODECS = List.of(
            new Codec<EntityName>("entity_name_t", EntityName::decode, EntityName::encode, t -> true),
            new Codec<EntityAddr>("entity_addr_t", EntityAddr::decode, EntityAddr::encode, t -> true),
            new Codec<EntityAddrVec>("entity_addrvec_t", EntityAddrVec::decode, EntityAddrVec::encode, t -> true),
            new Codec<EntityInst>("entity_inst_t", EntityInst::decode, EntityInst::encode, t -> true),
            new Codec<EVersion>("eversion_t", EVersion::decode, EVersion::encode, t -> true),
            new Codec<PgId>("pg_t", PgId::decode, PgId::encode, t -> true),
            new Codec<SPgId>("spg_t", SPgId::decode, SPgId::encode, t -> true),
            new Codec<OsdReqId>("osd_reqid_t", OsdReqId::decode, OsdReqId::encode, t -> true),
            new Codec<ObjectLocator>("object_locator_t", ObjectLocator::decode, ObjectLocator::encode,
                    t -> t.decodedVersion() == ObjectLocator.VERSION),
            new Codec<HObject>("hobject_t", HObject::decode, HObject::encode,
                    t -> t.decodedVersion() == HObject.VERSION),
            new Codec<SnapContext>("SnapContext", SnapContext::decode, SnapContext::encode, t -> true));

    @Test
    void everySampleOfEveryDecodableTypeDecodesExactlyAndReencodes() {
        if (Corpus.root().isEmpty()) {
            String msg = "ceph-object-corpus is absent (looked in " + Corpus.expectedLocation()
                    + "; set -Djceph.corpus=PATH): the corpus test checked nothing";
            System.out.println(msg);
            if (System.getenv("CI") != null) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        Map<String, String> tally = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int total = 0;
        for (Codec<?> c : CODECS) {
            int[] counts = check(c, failures);
            total += counts[0];
            tally.put(c.type(), counts[0] + " decoded, " + counts[1] + " re-encoded identically"
                    + (counts[0] > counts[1] ? ", " + (counts[0] - counts[1]) + " older versions decoded only" : ""));
        }
        System.out.println("corpus (" + Corpus.root().get() + "):");
        tally.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        if (!failures.isEmpty()) {
            fail(failures.size() + " corpus samples failed:\n  " + String.join("\n  ", failures));
        }
        assertTrue(total > 1000, "expected over a thousand samples, got " + total);
    }

    private static <T> int[] check(Codec<T> c, List<String> failures) {
        int decoded = 0;
        int reencoded = 0;
        for (Corpus.Sample s : Corpus.samples(c.type())) {
            byte[] bytes = s.bytes();
            try {
                CephDecoder d = CephDecoder.of(bytes, c.type());
                T value = c.decode().apply(d);
                if (d.remaining() != 0) {
                    failures.add(s + ": " + d.remaining() + " of " + bytes.length + " bytes not consumed");
                    continue;
                }
                decoded++;
                if (c.sameVersion().test(value)) {
                    ByteBuf out = Unpooled.buffer();
                    c.encode().accept(value, new CephEncoder(out));
                    String want = ByteBufUtil.hexDump(bytes);
                    String got = ByteBufUtil.hexDump(out);
                    if (!want.equals(got)) {
                        failures.add(s + ": re-encode differs\n    want " + want + "\n    got  " + got);
                        continue;
                    }
                    reencoded++;
                }
            } catch (DecodeException e) {
                failures.add(s + ": " + e.getMessage());
            }
        }
        assertEquals(true, decoded > 0 || Corpus.samples(c.type()).isEmpty());
        return new int[] {decoded, reencoded};
    }
}
