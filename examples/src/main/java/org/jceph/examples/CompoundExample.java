package org.jceph.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;

/** Compound operations: a guarded write and a multi-step read. Arguments: CEPH_CONF POOL. */
public final class CompoundExample {
    private CompoundExample() {
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        try (RadosClient client = Connect.fromConf(Path.of(args[0]))) {
            IoCtx io = client.ioCtx(args[1]);
            io.operate("doc", new IoCtx.Operation().create(false).setXattr("owner", b("alice")).writeFull(b("v1")));

            // a write that applies only while alice owns the object: all steps or none
            io.operate("doc", new IoCtx.Operation()
                    .cmpXattr("owner", IoCtx.Comparison.EQ, b("alice"))
                    .writeFull(b("v2")));
            try {
                io.operate("doc", new IoCtx.Operation()
                        .cmpXattr("owner", IoCtx.Comparison.EQ, b("bob"))
                        .writeFull(b("bob's")));
            } catch (RadosException.CanceledException e) {
                System.out.println("not bob's: " + e.getMessage());
            }

            // reads in one round trip; each step's output in order
            IoCtx.OperationResult r = io.operate("doc", new IoCtx.Operation().read(0, 0).getXattr("owner"));
            System.out.println(new String(r.outputs().get(0), StandardCharsets.UTF_8) + " owned by "
                    + new String(r.outputs().get(1), StandardCharsets.UTF_8) + ", version " + r.version());
            io.remove("doc");
        }
    }
}
