package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.jceph.encoding.types.PgId;
import org.junit.jupiter.api.Test;

/**
 * {@link OsdMapEdit}: an unchanged edit re-encodes the captured map byte for byte; edits survive
 * encode/decode with a CRC the decoder accepts, and the PG-keyed maps come out in pg_t order.
 */
class OsdMapEditTest {
    @Test
    void anEmptyEditReencodesTheCapturedMapByteForByte() {
        byte[] bytes = TestBytes.capturedMapBytes("fresh");
        assertArrayEquals(bytes, OsdMapCodec.encode(OsdMapEdit.of(OsdMapCodec.decode(bytes)).build()));
    }

    @Test
    void editsSurviveEncodeAndDecode() {
        OsdMap base = OsdMapCodec.decode(TestBytes.capturedMapBytes("fresh"));
        long pool = base.pools().keySet().iterator().next();
        PgPool p = base.pool(pool).withPlacement(PgPool.TYPE_ERASURE, 5, 4, 0, 37, 20, 64, 32, 0);
        OsdMap edited = OsdMapEdit.of(base)
                .pool(99, "ec", p.withErasureCodeProfile("prof", 16384))
                .erasureCodeProfile("prof", Map.of("k", "4", "m", "1"))
                .osd(0, OsdMap.STATE_EXISTS, 0x8000)
                .primaryAffinity(1, 0)
                .pgTemp(new PgId(99, 3), List.of(2, 1))
                .pgTemp(new PgId(99, 1), List.of(0))
                .primaryTemp(new PgId(99, 3), 1)
                .pgUpmap(new PgId(99, 0x10), List.of(0, 1, 2))
                .pgUpmapItems(new PgId(99, 2), List.of(new int[] {0, 2}))
                .pgUpmapPrimary(new PgId(99, 4), 2)
                .build();
        OsdMap back = OsdMapCodec.decode(OsdMapCodec.encode(edited)); // the decoder checks the CRC
        assertEquals(10, back.clientVersion());
        assertEquals(99, back.poolMax());
        assertEquals(37, back.pool(99).pgNum());
        assertEquals(20, back.pool(99).pgpNum());
        assertEquals(64, back.pool(99).pgNumTarget());
        assertEquals(PgPool.TYPE_ERASURE, back.pool(99).type());
        assertEquals("prof", back.pool(99).erasureCodeProfile());
        assertEquals("ec", back.poolNames().get(99L));
        assertEquals(0x8000L, back.osdWeight().get(0));
        assertEquals(0L, back.primaryAffinity(1));
        assertEquals(OsdMap.DEFAULT_PRIMARY_AFFINITY, back.primaryAffinity(2));
        assertEquals(List.of(new PgId(99, 1), new PgId(99, 3)), List.copyOf(back.pgTemp().keySet()));
        assertEquals(1, back.primaryTemp().get(new PgId(99, 3)));
        assertEquals(List.of(0, 1, 2), back.pgUpmap().get(new PgId(99, 0x10)));
        assertEquals(2, back.pgUpmapItems().get(new PgId(99, 2)).get(0)[1]);
        assertEquals(2, back.pgUpmapPrimaries().get(new PgId(99, 4)));
        assertEquals(Map.of("k", "4", "m", "1"), back.erasureCodeProfiles().get("prof"));
    }

    @Test
    void anOsdPastMaxOsdIsRefused() {
        OsdMap base = OsdMapCodec.decode(TestBytes.capturedMapBytes("fresh"));
        assertThrows(IllegalArgumentException.class, () -> OsdMapEdit.of(base).osd(base.maxOsd(), 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> base.pool(base.pools().keySet().iterator().next()).withPlacement(1, 3, 2, 0, 8, 9, 8, 8, 0));
    }
}
