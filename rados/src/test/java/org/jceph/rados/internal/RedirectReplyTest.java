package org.jceph.rados.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jceph.encoding.CephEncoder;
import org.jceph.encoding.types.EVersion;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.PgId;
import org.jceph.messenger.Message;
import org.junit.jupiter.api.Test;

/** MOSDOpReply with do_redirect set carries a request_redirect_t before the trace. */
class RedirectReplyTest {
    private static byte[] front(OsdOpMessages.Redirect redirect) {
        return CephEncoder.toBytes(e -> {
            e.writeString("obj");
            new PgId(4, 0x3).encode(e);
            e.writeU64Le(0x4).writeS32Le(-2); // ENOENT, as do_cache_redirect answers
            EVersion.ZERO.encode(e);
            e.writeU32Le(30).writeU32Le(0); // epoch, no ops
            e.writeS32Le(0); // retry_attempt
            EVersion.ZERO.encode(e);
            e.writeU64Le(0);
            e.writeBool(redirect != null);
            if (redirect != null) {
                redirect.encode(e);
            }
            e.writeBytes(new byte[24]);
        });
    }

    @Test
    void aRedirectDecodesAndReplacesTheLocator() {
        OsdOpMessages.Redirect sent = new OsdOpMessages.Redirect(new ObjectLocator(3, "k", "ns"), "");
        OsdOpMessages.Reply r = OsdOpMessages.decode(new Message(43, 8, 2, 127, 9, 1, front(sent), new byte[0],
                new byte[0]));
        assertEquals(-2, r.result());
        assertEquals(3, r.redirect().locator().pool());
        assertEquals("", r.redirect().object());
        ObjectLocator next = r.redirect().applyTo(new ObjectLocator(4, "k", "ns"));
        assertEquals(new ObjectLocator(3, "k", "ns"), next);
    }

    @Test
    void noRedirectMeansNull() {
        OsdOpMessages.Reply r = OsdOpMessages.decode(new Message(43, 8, 2, 127, 9, 1, front(null), new byte[0],
                new byte[0]));
        assertNull(r.redirect());
    }
}
