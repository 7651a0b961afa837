package org.jceph.cli.osd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jceph.cli.UsageException;
import org.jceph.encoding.types.PgId;
import org.jceph.messenger.config.CephConfig;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.Placement;
import org.jceph.rados.RadosClient;

/**
 * {@code jceph osd map POOL OBJECT [NSPACE] [--namespace NS] [-f json]}: where an object lives,
 * computed on the client from the cluster's current OSDMap, printed as {@code ceph osd map}
 * prints it. The cluster is found as the stock tools find it ({@code -c}, {@code CEPH_CONF},
 * {@code --id}, {@code --keyring}, {@code -m}).
 */
public final class OsdMapCommand {
    private OsdMapCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        List<String> cephArgs = new ArrayList<>();
        String namespace = "";
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--namespace", "-N" -> namespace = value(args, ++i, a);
                case "-f", "--format" -> json = value(args, ++i, a).startsWith("json");
                case "-c", "--conf", "--id", "-i", "--name", "-n", "--keyring", "-k", "-m" -> {
                    cephArgs.add(a);
                    cephArgs.add(value(args, ++i, a));
                }
                default -> positional.add(a);
            }
        }
        if (positional.size() < 2 || positional.size() > 3) {
            throw new UsageException("usage: osd map <pool> <object> [<nspace>] [--namespace NS] [-f json]");
        }
        if (positional.size() == 3) {
            namespace = positional.get(2);
        }
        String pool = positional.get(0);
        String object = positional.get(1);
        CephConfig config = org.jceph.cli.CliConfig.shortCommand(cephArgs);
        try (RadosClient client = RadosClient.connect(config)) {
            OsdMap map = client.osdMap();
            Long poolId = null;
            for (Map.Entry<Long, String> e : map.poolNames().entrySet()) {
                if (e.getValue().equals(pool)) {
                    poolId = e.getKey();
                }
            }
            if (poolId == null) {
                err.println("Error ENOENT: pool " + pool + " does not exist");
                return 2;
            }
            Placement p = new Placement(map);
            PgId raw = p.objectToRawPg(poolId, object, "", namespace);
            Placement.Result r = p.pgToUpActing(raw);
            String rawPg = raw.pool() + "." + Long.toHexString(raw.seed());
            // Reef (18.2.7) and Tentacle (20.2.4) print CRUSH_ITEM_NONE as NONE in the text form and
            // name the namespace inside objname ("ns/obj") in JSON; Pacific's printed the number and
            // a separate "nspace" key. The map's require_osd_release tells them apart.
            boolean reefStyle = map.requireOsdRelease() >= RELEASE_REEF;
            String qualified = namespace.isEmpty() ? object : namespace + "/" + object;
            if (json) {
                String names = reefStyle ? "\"objname\":\"" + qualified + "\","
                        : "\"objname\":\"" + object + "\"," + (namespace.isEmpty() ? "" : "\"nspace\":\"" + namespace + "\",");
                // the Reef/Tentacle ceph CLI writes a newline before the JSON and none after it
                out.printf((reefStyle ? "%n" : "") + "{\"epoch\":%d,\"pool\":\"%s\",\"pool_id\":%d,%s\"raw_pgid\":\"%s\",\"pgid\":\"%s\","
                        + "\"up\":%s,\"up_primary\":%d,\"acting\":%s,\"acting_primary\":%d}" + (reefStyle ? "" : "%n"), map.epoch(), pool, poolId,
                        names, rawPg, r.pg(), list(r.up(), false), r.upPrimary(), list(r.acting(), false),
                        r.actingPrimary());
            } else {
                out.printf("osdmap e%d pool '%s' (%d) object '%s' -> pg %s (%s) -> up (%s, p%d) acting (%s, p%d)%n",
                        map.epoch(), pool, poolId, qualified, rawPg, r.pg(), list(r.up(), reefStyle), r.upPrimary(),
                        list(r.acting(), reefStyle), r.actingPrimary());
            }
            return 0;
        } catch (java.io.IOException e) {
            err.println("jceph osd map: " + e.getMessage());
            return 1;
        }
    }

    private static final int RELEASE_REEF = 18;

    private static String list(List<Integer> l, boolean noneAsName) {
        return l.stream().map(o -> noneAsName && o == Placement.NONE ? "NONE" : String.valueOf(o))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }
}
