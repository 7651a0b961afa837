package org.jceph.messenger.internal.v2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jceph.encoding.CephEncoder;
import org.jceph.messenger.EntityName;

/**
 * {@code auth none} (CEPH_AUTH_NONE = 1; src/auth/none): the monitor request carries the same
 * boilerplate as cephx ({@code u8 AUTH_MODE_MON | EntityName | u64 global_id}) and no more; the
 * monitor answers AUTH_DONE at once. No session key: AUTH_SIGNATURE is 32 zero bytes.
 */
public final class AuthNone implements ClientAuth {
    private final EntityName name;

    public AuthNone(EntityName name) {
        this.name = name;
    }

    @Override
    public int method() {
        return 1;
    }

    @Override
    public byte[] initialRequest() {
        ByteBuf b = Unpooled.buffer();
        new CephEncoder(b).writeU8(10).writeU32Le(name.type()).writeString(name.id()).writeU64Le(0);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    @Override
    public byte[] handleMore(byte[] replyMore) {
        throw new IllegalStateException("auth none has no second round");
    }

    @Override
    public void handleDone(long globalId, byte[] payload) {
        // nothing to verify
    }

    @Override
    public byte[] sessionKey() {
        return new byte[0];
    }

    @Override
    public byte[] connectionSecret() {
        return new byte[0];
    }
}
