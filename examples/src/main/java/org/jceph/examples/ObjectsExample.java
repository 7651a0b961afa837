package org.jceph.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.jceph.rados.ReadView;

/** Objects: write, read, stat, xattrs, omap, remove, and the typed errors. Arguments: CEPH_CONF POOL. */
public final class ObjectsExample {
    private ObjectsExample() {
    }

    public static void main(String[] args) throws Exception {
        try (RadosClient client = Connect.fromConf(Path.of(args[0]))) {
            IoCtx io = client.ioCtx(args[1]);
            io.setNamespace("examples");

            io.writeFull("greeting", "hello, ceph".getBytes(StandardCharsets.UTF_8));
            io.write("greeting", 7, "CEPH".getBytes(StandardCharsets.UTF_8));
            byte[] data = io.read("greeting", 0, 64);          // up to 64 bytes
            IoCtx.ObjectStat stat = io.stat("greeting");
            System.out.println(new String(data, StandardCharsets.UTF_8) + " (" + stat.size() + " bytes)");

            try (ReadView view = io.readView("greeting", 0, 64)) {  // the bytes as received, no copy
                int bytes = 0;
                for (ByteBuffer piece : view.nioBuffers()) {         // valid until close()
                    bytes += piece.remaining();
                }
                System.out.println("view of " + bytes + " bytes in " + view.nioBuffers().length + " piece(s)");
            }                                                         // close() gives them back

            io.setXattr("greeting", "lang", "en".getBytes(StandardCharsets.UTF_8));
            io.omapSetVals("greeting", Map.of("k1", new byte[] {1}, "k2", new byte[] {2}));
            System.out.println("omap keys: " + io.omapGetKeys("greeting", "", 100));

            try {
                io.getXattr("greeting", "missing");
            } catch (RadosException.NoDataException e) {
                System.out.println("as expected: " + e.getMessage());
            }
            io.remove("greeting");
            try {
                io.stat("greeting");
            } catch (RadosException.ObjectNotFoundException e) {
                System.out.println("gone: " + e.getMessage());
            }
        }
    }
}
