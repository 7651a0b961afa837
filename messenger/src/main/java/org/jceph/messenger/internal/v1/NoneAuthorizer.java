package org.jceph.messenger.internal.v1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jceph.encoding.CephEncoder;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.internal.v2.ClientAuth;

/**
 * The auth-none authorizer a client presents to an OSD or MGR in ceph_msg_connect
 * (src/auth/none/AuthNoneAuthorizer: {@code u8 1 | EntityName | u64 global_id}, protocol 1).
 * Nothing to verify, no session key, so no message signatures.
 */
public final class NoneAuthorizer implements ClientAuth {
    private final EntityName name;
    private final long globalId;

    public NoneAuthorizer(EntityName name, long globalId) {
        this.name = name;
        this.globalId = globalId;
    }

    @Override
    public int method() {
        return 1;
    }

    @Override
    public byte[] initialRequest() {
        ByteBuf b = Unpooled.buffer();
        new CephEncoder(b).writeU8(1).writeU32Le(name.type()).writeString(name.id()).writeU64Le(globalId);
        return CephEncoder.readableBytes(b);
    }

    @Override
    public byte[] handleMore(byte[] replyMore) {
        throw new IllegalStateException("auth none has no challenge round");
    }

    @Override
    public void handleDone(long ignored, byte[] payload) {
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
