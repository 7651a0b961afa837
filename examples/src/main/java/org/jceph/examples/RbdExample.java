package org.jceph.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.ImageOptions;
import org.jceph.rbd.OpenOptions;
import org.jceph.rbd.RbdFeatures;
import org.jceph.rbd.RbdImage;

/** An RBD image: create, write, snapshot, read the snapshot, remove. Arguments: CEPH_CONF POOL. */
public final class RbdExample {
    private RbdExample() {
    }

    public static void main(String[] args) throws Exception {
        try (RadosClient client = Connect.fromConf(Path.of(args[0]))) {
            IoCtx io = client.ioCtx(args[1]);
            RbdImage.create(io, "example-disk", ImageOptions.builder(64L << 20)   // 64 MiB
                    .objectSize(4 << 20)
                    .features(RbdFeatures.LIBRBD_DEFAULT)
                    .build());
            try (RbdImage disk = RbdImage.open(io, "example-disk", OpenOptions.readWrite())) {
                disk.write(0, "first".getBytes(StandardCharsets.UTF_8));   // takes the exclusive lock
                disk.snapCreate("before");
                disk.write(0, "later".getBytes(StandardCharsets.UTF_8));
                try (RbdImage then = disk.atSnapshot("before")) {
                    System.out.println("at the snapshot: " + new String(then.read(0, 5), StandardCharsets.UTF_8)
                            + ", now: " + new String(disk.read(0, 5), StandardCharsets.UTF_8));
                }
                System.out.println(Arrays.toString(disk.userSnapshots().stream().map(RbdImage.Snapshot::name).toArray()));
                String id = disk.id();                                 // stays the same across renames
                try (RbdImage old = RbdImage.openById(io, id, OpenOptions.atSnapshot("before"))) {
                    System.out.println("opened by id at the snapshot: " + old.size() + " bytes");
                }
                disk.snapRemove("before");
            }                                                  // close gives the lock back
            RbdImage.remove(io, "example-disk");
        }
    }
}
