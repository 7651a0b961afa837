package org.jceph.rbd;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jceph.encoding.DecodeException;
import org.jceph.fixtures.Mutations;
import org.jceph.rbd.format1.Format1Header;
import org.jceph.rbd.lock.WatchNotifyMessages;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * Issue 9's hostile input for the RBD decoders: the format 1 on-disk header (read from any
 * object named NAME.rbd), the object map (BitVector&lt;2&gt;, read from the OSD) and the
 * header's watch/notify messages (sent by any other client). Mutated from valid encodings; only
 * typed errors, bounded allocation and time ({@link Mutations#check}).
 */
class RbdDecoderFuzzTest {
    private static final List<byte[]> FORMAT1 = List.of(
            new Format1Header("rb.0.1234.5678abcd", 22, 10L << 20, 0, List.of()).encode(),
            new Format1Header("rb.0.1.2", 20, 1L << 30, 7, List.of(new Format1Header.Snap(5, 1L << 29, "a"),
                    new Format1Header.Snap(7, 1L << 30, "second-snapshot"))).encode());

    private static final byte[] MAP = java.util.HexFormat.of().parseHex(
            "0e000000" + "0101" + "08000000" + "0900000000000000" + "4e60aa" + "00000000");

    private static boolean typed(Throwable e) {
        return e instanceof DecodeException || e instanceof RbdException;
    }

    @Property(tries = 3000)
    void format1Headers(@ForAll @IntRange(min = 0, max = 1) int seed, @ForAll @IntRange(min = 0, max = 6) int kind,
                        @ForAll int where, @ForAll int value) {
        byte[] in = Mutations.mutate(FORMAT1.get(seed), kind, where, value);
        Mutations.check("format 1 header", in, Format1Header::decode, RbdDecoderFuzzTest::typed);
    }

    @net.jqwik.api.Example
    void aBlockNameFillingItsFieldIsATypedError() {
        byte[] h = FORMAT1.get(0).clone();
        java.util.Arrays.fill(h, 40, 64, (byte) 'x'); // block_name[24] with no NUL
        Mutations.Outcome o = Mutations.check("format 1 header", h, Format1Header::decode, RbdDecoderFuzzTest::typed);
        org.junit.jupiter.api.Assertions.assertFalse(o.decoded());
    }

    @Property(tries = 2000)
    void objectMaps(@ForAll @IntRange(min = 0, max = 6) int kind, @ForAll int where, @ForAll int value) {
        byte[] in = Mutations.mutate(MAP, kind, where, value);
        Mutations.check("object map", in, ObjectMap::decodeStates, RbdDecoderFuzzTest::typed);
    }

    @Property(tries = 2000)
    void headerNotifications(@ForAll @IntRange(min = 0, max = 3) int op, @ForAll @IntRange(min = 0, max = 6) int kind,
                             @ForAll int where, @ForAll int value) {
        WatchNotifyMessages.ClientId me = new WatchNotifyMessages.ClientId(4242, 77);
        byte[] seed = switch (op) {
            case 0 -> WatchNotifyMessages.acquiredLock(me);
            case 1 -> WatchNotifyMessages.releasedLock(me);
            case 2 -> WatchNotifyMessages.requestLock(me, true);
            default -> WatchNotifyMessages.headerUpdate();
        };
        byte[] in = Mutations.mutate(seed, kind, where, value);
        Mutations.check("NotifyMessage", in, WatchNotifyMessages::decode, RbdDecoderFuzzTest::typed);
        byte[] resp = Mutations.mutate(WatchNotifyMessages.response(-16), kind, where, value);
        Mutations.check("ResponseMessage", resp, WatchNotifyMessages::decodeResponse, RbdDecoderFuzzTest::typed);
    }
}
