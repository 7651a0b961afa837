package org.jceph.messenger.internal.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.jceph.encoding.CephFeature;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.auth.CryptoKey;
import org.jceph.messenger.auth.Keyring;
import org.jceph.messenger.internal.cephx.Aes256Krb5;
import org.jceph.messenger.internal.cephx.CephxMonClient;
import org.jceph.messenger.v1.V1FrameException;
import org.junit.jupiter.api.Test;

/**
 * Our msgr1 sessions with a live Ceph 20.2.4 (Tentacle) monitor and OSD where every key is aes256k
 * (captured with ms_jceph_capture_dir, provenance in fixtures/README.md): the monitor's tickets
 * open offline under the client key, the OSD's authorizer challenge and reply are aes256k
 * ciphertexts, and the signature the OSD put on its MOSDOpReply is HMAC-SHA256-based: it verifies
 * with the aes256k signer and fails with the AES one.
 */
class TentacleCapturedV1SessionTest {
    static final String P = "tentacle-20.2.4-v1-";

    static CryptoKey adminKey() {
        String text = new String(V1Capture.load(P + "client.admin.keyring"), StandardCharsets.UTF_8);
        return Keyring.parse(text, "fixture").keyFor(EntityName.client("admin")).orElseThrow();
    }

    static CephxMonClient monAuth() {
        List<Object> fromMon = V1Capture.server(V1Capture.load(P + "mon-server.bin"), 0, null);
        List<Message> msgs = CapturedV1SessionTest.messages(fromMon);
        CephxMonClient cephx = new CephxMonClient(EntityName.client("admin"), adminKey(), 0, new SecureRandom());
        cephx.handleDone(MonAuthV1.Reply.decode(msgs.get(1)).resultBl());
        return cephx;
    }

    @Test
    void theMonitorGrantsAes256kTicketsOverMsgr1() {
        CephxMonClient cephx = monAuth();
        for (int service : List.of(EntityName.TYPE_AUTH, EntityName.TYPE_MON, EntityName.TYPE_OSD, EntityName.TYPE_MGR)) {
            assertEquals(CryptoKey.TYPE_AES256KRB5, cephx.tickets().get(service).keyType(), EntityName.typeName(service));
        }
    }

    @Test
    void theOsdsChallengeReplyAndSignedReplyVerify() {
        byte[] key = monAuth().tickets().get(EntityName.TYPE_OSD).sessionKey();
        byte[] s = V1Capture.load(P + "osd-server.bin");
        List<Object> whole = V1Capture.server(s, s.length,
                f -> new MessageSigner(CryptoKey.TYPE_AES256KRB5, key, f));
        V1Codec.ConnectReply challenge = (V1Codec.ConnectReply) whole.get(1);
        assertEquals(Tags.CHALLENGE_AUTHORIZER, challenge.tag());
        // bare ciphertext of the envelope + CephXAuthorizeChallenge {u8, u64}: 9 + 9 + 40
        assertEquals(9 + 9 + Aes256Krb5.OVERHEAD, challenge.authorizerReply().length);
        V1Codec.ConnectReply ready = (V1Codec.ConnectReply) whole.get(2);
        assertEquals(Tags.SEQ, ready.tag());
        // u32 length + ciphertext of the envelope + CephXAuthorizeReply v1 {u8, u64} (no connection secret on msgr1)
        assertEquals(4 + 9 + 9 + Aes256Krb5.OVERHEAD, ready.authorizerReply().length);
        assertTrue(CephFeature.CEPHX_V2.isIn(ready.features()) && CephFeature.MSG_AUTH.isIn(ready.features()));
        V1Reader.Msg reply = (V1Reader.Msg) whole.get(3);
        assertEquals(43, reply.message().type(), "MOSDOpReply");
        assertEquals(Tags.FOOTER_COMPLETE | Tags.FOOTER_SIGNED, reply.footerFlags() & 5);
        for (int cut = 0; cut <= s.length; cut += 5) {
            assertEquals(whole.toString(), V1Capture.server(s, cut,
                    f -> new MessageSigner(CryptoKey.TYPE_AES256KRB5, key, f)).toString(), "split at " + cut);
        }
        // the AES way of signing (encrypt the block) does not produce the OSD's signature
        assertThrows(V1FrameException.class, () -> V1Capture.server(s, s.length, f -> new MessageSigner(key, f)));
    }

    @Test
    void ourSignedOpWasTheOneTheOsdAccepted() {
        byte[] key = monAuth().tickets().get(EntityName.TYPE_OSD).sessionKey();
        byte[] s = V1Capture.load(P + "osd-client.bin");
        long features = CephFeature.CLIENT_SUPPORTED & ((V1Codec.ConnectReply) V1Capture.server(
                V1Capture.load(P + "osd-server.bin"), 0, null).get(2)).features();
        MessageSigner signer = new MessageSigner(CryptoKey.TYPE_AES256KRB5, key, features);
        List<Object> whole = V1Capture.client(s, s.length, 2, features, signer);
        V1Reader.Msg op = (V1Reader.Msg) whole.get(4);
        assertEquals(42, op.message().type(), "MOSDOp");
        assertThrows(V1FrameException.class,
                () -> V1Capture.client(s, s.length, 2, features, new MessageSigner(key, features)));
    }
}
