package org.jceph.rbd.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.mirror.PeerBootstrap.Token;
import org.junit.jupiter.api.Test;

class PeerBootstrapTokenTest {
    private static final String KEY = "AQBmYWtlLWtleS1mb3ItdGVzdHMtb25seS0wMDAwMA==";

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodesLibrbdsJsonAndDecodesItBack() {
        Token t = new Token("2d4b5a9e-0000-4000-8000-000000000001", "rbd-mirror-peer", KEY,
                "[v2:127.0.0.1:3300/0,v1:127.0.0.1:6789/0]");
        String text = t.encode();
        // librbd's exact bytes: field order fsid, client_id, key, mon_host, no spaces
        assertEquals("{\"fsid\":\"2d4b5a9e-0000-4000-8000-000000000001\",\"client_id\":\"rbd-mirror-peer\",\"key\":\""
                + KEY + "\",\"mon_host\":\"[v2:127.0.0.1:3300/0,v1:127.0.0.1:6789/0]\"}",
                new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8));
        assertEquals(t, Token.decode(text));
        // the file the tool wrote ends in a newline: ignored, as Ceph's decoder ignores it
        assertEquals(t, Token.decode(text + "\n"));
    }

    @Test
    void quotesInMonHostRoundTrip() {
        Token t = new Token("f", "c", KEY, "a\"b");
        assertEquals(t, Token.decode(t.encode()));
    }

    @Test
    void extraFieldsAndSpacesAreAccepted() {
        Token t = Token.decode(b64("{ \"mon_host\": \"m\", \"key\": \"" + KEY
                + "\", \"client_id\": \"c\", \"fsid\": \"f\", \"other\": \"x\" }"));
        assertEquals(new Token("f", "c", KEY, "m"), t);
    }

    @Test
    void toStringLeavesTheKeyOut() {
        Token t = new Token("f", "c", KEY, "m");
        assertFalse(t.toString().contains(KEY), t.toString());
    }

    @Test
    void badTokensAreTypedEinvalWithoutTheirContent() {
        String secretish = "{\"fsid\":\"f\",\"client_id\":\"c\",\"key\":\"" + KEY + "\"}"; // no mon_host
        for (String bad : new String[] {"", "not base64!", b64("not json"), b64("[\"a\"]"), b64(secretish),
                b64("{\"fsid\":1,\"client_id\":\"c\",\"key\":\"k\",\"mon_host\":\"m\"}"),
                b64("{\"fsid\":\"f\",\"client_id\":\"c\",\"key\":\"" + KEY), "@@@@"}) {
            RbdException e = assertThrows(RbdException.class, () -> Token.decode(bad), bad);
            assertEquals(-22, e.errno(), bad);
            assertFalse(e.getMessage().contains(KEY), "message quotes the key");
            assertFalse(!bad.isEmpty() && e.getMessage().contains(bad), "message quotes the token");
        }
    }
}
