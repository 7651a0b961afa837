package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.DecodeException;
import org.jceph.encoding.types.SnapContext;
import org.jceph.fixtures.Corpus;
import org.jceph.fixtures.EdgeFuzz;
import org.jceph.rbd.format1.Format1Header;
import org.jceph.rbd.objectmap.ObjectMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's edge-case fuzzing of the RBD on-disk and header-object decoders: the format 1 header
 * (NAME.rbd), the object map (BitVector&lt;2&gt;) and the
 * corpus' SnapContext samples (what get_snapcontext returns for a format 2 header), with 1 to 16
 * stacked mutations ({@link EdgeFuzz}). The other format 2 header values (size, features,
 * object prefix, parent, stripe) are read inline from cls_rbd replies by RbdImage and are not
 * separately fuzzed. Only DecodeException or RbdException, bounded allocation, each decode within
 * 10 s.
 */
class RbdEdgeFuzzTest {
    static List<EdgeFuzz.Target> targets() {
        java.util.function.Predicate<Throwable> typed = e -> e instanceof DecodeException || e instanceof RbdException;
        List<EdgeFuzz.Target> t = new ArrayList<>();
        t.add(new EdgeFuzz.Target("format 1 header", new Format1Header("rb.0.1234.5678abcd", 22, 10L << 20, 0,
                List.of()).encode(), Format1Header::decode, typed));
        t.add(new EdgeFuzz.Target("format 1 header with snaps", new Format1Header("rb.0.1.2", 20, 1L << 30, 7,
                List.of(new Format1Header.Snap(5, 1L << 29, "a"), new Format1Header.Snap(7, 1L << 30,
                        "second-snapshot"))).encode(), Format1Header::decode, typed));
        t.add(new EdgeFuzz.Target("object map", java.util.HexFormat.of().parseHex(
                "0e000000" + "0101" + "08000000" + "0900000000000000" + "4e60aa" + "00000000"),
                ObjectMap::decodeStates, typed));
        for (Corpus.Sample s : Corpus.samples("SnapContext")) {
            t.add(new EdgeFuzz.Target("corpus " + s, s.bytes(), b -> {
                CephDecoder d = CephDecoder.of(b, "SnapContext");
                SnapContext.decode(d);
                d.expectEnd();
            }, typed));
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
        EdgeFuzz.runSlice("rbd", targets(), 20_000, 10_000);
    }
}
