package org.jceph.cli.osd;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jceph.cli.UsageException;
import org.jceph.cli.viz.DistributionPlot;
import org.jceph.messenger.config.CephConfig;
import org.jceph.osdmap.OsdMap;
import org.jceph.rados.RadosClient;

/**
 * {@code jceph osd df-plot FILE.svg [--pool POOL] [--save-map FILE]}: the live cluster's PGs and
 * primaries per OSD against CRUSH weight, from the current osdmap (the same picture as
 * {@code osdmaptool MAP --plot}); --save-map keeps that map to try changes on offline.
 */
public final class OsdDfPlotCommand {
    private OsdDfPlotCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        List<String> cephArgs = new ArrayList<>();
        String pool = null;
        String saveMap = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--pool", "-p" -> pool = value(args, ++i, a);
                case "--save-map" -> saveMap = value(args, ++i, a);
                case "-c", "--conf", "--id", "-i", "--name", "-n", "--keyring", "-k", "-m" -> {
                    cephArgs.add(a);
                    cephArgs.add(value(args, ++i, a));
                }
                default -> positional.add(a);
            }
        }
        if (positional.size() != 1) {
            throw new UsageException("usage: osd df-plot FILE.svg|FILE.html [--pool POOL] [--save-map FILE]");
        }
        CephConfig config = org.jceph.cli.CliConfig.shortCommand(cephArgs);
        OsdMap map;
        try (RadosClient client = RadosClient.connect(config)) {
            map = client.osdMap();
        } catch (IOException e) {
            err.println("jceph osd df-plot: " + e.getMessage());
            return 1;
        }
        long poolId = -1;
        if (pool != null) {
            poolId = map.poolId(pool);
            if (poolId < 0 || map.pool(poolId) == null) {
                err.println("Error ENOENT: pool " + pool + " does not exist");
                return 2;
            }
        }
        DistributionPlot plot = new DistributionPlot(new DistributionPlot.Counts(map, poolId), null,
                pool == null ? "all pools, live cluster" : "pool " + pool + ", live cluster");
        String file = positional.get(0);
        try {
            String svg = plot.svg().toString();
            Files.writeString(Path.of(file), file.endsWith(".html") ? "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                    + "<title>jceph osd df-plot</title></head><body>\n" + plot.svg().inline() + "</body></html>\n" : svg);
            if (saveMap != null) {
                Files.write(Path.of(saveMap), org.jceph.osdmap.OsdMapCodec.encode(map));
            }
        } catch (IOException e) {
            err.println("jceph osd df-plot: cannot write: " + e.getMessage());
            return 1;
        }
        out.println(plot.summary(new DistributionPlot.Counts(map, poolId)));
        out.println("wrote " + file);
        return 0;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new UsageException(opt + " needs a value");
        }
        return args[i];
    }
}
