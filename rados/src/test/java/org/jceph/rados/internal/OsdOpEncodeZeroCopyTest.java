package org.jceph.rados.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.jceph.encoding.UTime;
import org.jceph.encoding.types.ObjectLocator;
import org.jceph.encoding.types.PgId;
import org.jceph.encoding.types.SnapContext;
import org.jceph.messenger.Message;
import org.junit.jupiter.api.Test;

/** MOSDOp's data part is made of the ops' input arrays themselves, not a concatenated copy. */
class OsdOpEncodeZeroCopyTest {
    static OsdOpMessages.Request request(List<OsdOp> ops) {
        return new OsdOpMessages.Request(7, new PgId(1, 3), 0x1234, 10, "obj", new ObjectLocator(1, "", ""), ops,
                UTime.of(java.time.Instant.EPOCH), 0, OsdOpMessages.NOSNAP, SnapContext.EMPTY, 0);
    }

    @Test
    void writeInputsAreComponentsOfTheData() {
        byte[] a = new byte[1 << 20];
        byte[] b = new byte[4096];
        Arrays.fill(a, (byte) 1);
        Arrays.fill(b, (byte) 2);
        List<OsdOp> ops = List.of(OsdOp.write(0, a), OsdOp.stat(), OsdOp.write(1 << 20, b));
        for (Message m : List.of(OsdOpMessages.encode(request(ops)), OsdOpMessages.encodeLegacyV1(request(ops)))) {
            ByteBuffer[] parts = m.data().nioBuffers();
            assertEquals(2, parts.length);
            assertTrue(parts[0].array() == a && parts[1].array() == b, "an op's input was copied");
            byte[] whole = ByteBufUtil.getBytes(m.data());
            assertEquals(a.length + b.length, whole.length);
            assertArrayEquals(a, Arrays.copyOf(whole, a.length));
            assertArrayEquals(b, Arrays.copyOfRange(whole, a.length, whole.length));
        }
    }

    @Test
    void noInputMeansNoData() {
        assertEquals(0, OsdOpMessages.encode(request(List.of(OsdOp.stat()))).dataLength());
    }
}
