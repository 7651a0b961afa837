package org.jceph.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;

/** Watch an object, notify its watchers, collect their replies. Arguments: CEPH_CONF POOL. */
public final class WatchNotifyExample {
    private WatchNotifyExample() {
    }

    public static void main(String[] args) throws Exception {
        try (RadosClient watcher = Connect.fromConf(Path.of(args[0]));
                RadosClient notifier = Connect.fromConf(Path.of(args[0]))) {
            IoCtx wio = watcher.ioCtx(args[1]);
            wio.writeFull("bell", new byte[0]);
            long cookie = wio.watch("bell", (notifyId, notifierGid, payload) -> {
                System.out.println("heard: " + new String(payload, StandardCharsets.UTF_8));
                return "ding".getBytes(StandardCharsets.UTF_8);   // the reply the notifier gets
            });

            IoCtx.NotifyResult result = notifier.ioCtx(args[1])
                    .notify("bell", "ring".getBytes(StandardCharsets.UTF_8), 10);
            result.replies().forEach((who, reply) -> System.out.println("client." + who.gid() + " replied "
                    + new String(reply, StandardCharsets.UTF_8)));

            wio.unwatch("bell", cookie);
            wio.remove("bell");
        }
    }
}
