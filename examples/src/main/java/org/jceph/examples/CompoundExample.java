package org.jceph.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jceph.rados.ChecksumType;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.jceph.rados.ReadOperation;
import org.jceph.rados.StepResult;
import org.jceph.rados.WriteOperation;

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
            io.operate("doc", new WriteOperation().create(false).setXattr("owner", b("alice")).writeFull(b("v1")));

            // a write that applies only while alice owns the object: all steps or none
            io.operate("doc", new WriteOperation()
                    .cmpXattr("owner", IoCtx.Comparison.EQ, b("alice"))
                    .writeFull(b("v2")));
            try {
                io.operate("doc", new WriteOperation()
                        .cmpXattr("owner", IoCtx.Comparison.EQ, b("bob"))
                        .writeFull(b("bob's")));
            } catch (RadosException.CanceledException e) {
                System.out.println("not bob's: " + e.getMessage());
            }

            // reads in one round trip; each step gives a typed result once the operation is done
            ReadOperation read = new ReadOperation();
            StepResult<byte[]> data = read.read(0, 0);
            StepResult<byte[]> owner = read.getXattr("owner");
            StepResult<List<Long>> crc = read.checksum(ChecksumType.CRC32C, -1, 0, 0, 0);
            long version = io.operate("doc", read);
            System.out.println(new String(data.get(), StandardCharsets.UTF_8) + " owned by "
                    + new String(owner.get(), StandardCharsets.UTF_8) + ", version " + version
                    + ", crc32c " + Long.toHexString(crc.get().get(0)));
            io.remove("doc");
        }
    }
}
