package org.jceph.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.RadosClient;

/** Two ways to connect: from a ceph.conf, or with everything given in code. */
public final class Connect {
    private Connect() {
    }

    /** Connects as client.admin with the monitors and keyring a ceph.conf names. */
    public static RadosClient fromConf(Path cephConf) throws IOException {
        CephConfig config = CephConfig.builder()
                .confFile(cephConf)                    // monitors, keyring, options
                .set("rados_osd_op_timeout", "30")     // seconds per OSD op; 0 = no timeout
                .build();
        return RadosClient.connect(config);
    }

    /** Connects with the monitor addresses, the user and its key given in code. */
    public static RadosClient programmatic(String monHost, String user, String base64Key) throws IOException {
        CephConfig config = CephConfig.builder()
                .monHost(monHost)                      // "v2:10.0.0.1:3300,v2:10.0.0.2:3300"
                .name(EntityName.client(user))         // client.USER
                .set("key", base64Key)                 // never logged, never in exception messages
                .set("rados_mon_op_timeout", "30")
                .set("client_mount_timeout", "60")
                .build();
        return RadosClient.connect(config);
    }

    /** Prints the cluster's fsid and our instance id. Arguments: CEPH_CONF. */
    public static void main(String[] args) throws IOException {
        try (RadosClient client = fromConf(Path.of(args[0]))) {
            System.out.println("connected to " + client.fsid() + " as client." + client.instanceId());
        }
    }
}
