package org.jceph.cli.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.cli.UsageException;
import org.jceph.encoding.CephFeature;

/**
 * {@code jceph demo --conf CEPH_CONF [--pool POOL] [--chroot DIR]}: runs, against a real cluster,
 * everything the pure-Java stack can do so far, and prints each step. It never fakes a step: each
 * line is the result of real traffic with the cluster. Without {@code --pool} it works in a
 * temporary pool it creates and deletes; {@code --chroot} runs the cross-checking stock tools from
 * a release's chroot (what {@code bin/jceph demo --release reef|tentacle} passes).
 */
public final class Demo {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern MON_ADDR = Pattern.compile("(v1|v2):([0-9.]+|\\[[0-9a-fA-F:]+\\]):(\\d+)");

    private Demo() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path conf = null;
        String pool = null;
        Path chroot = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--conf") || args[i].equals("-c")) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--conf needs a path");
                }
                conf = Path.of(args[++i]);
            } else if (args[i].equals("--pool") || args[i].equals("-p")) {
                if (i + 1 >= args.length || args[i + 1].isBlank()) {
                    throw new UsageException("--pool needs a pool name");
                }
                pool = args[++i];
            } else if (args[i].equals("--chroot")) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--chroot needs a directory");
                }
                chroot = Path.of(args[++i]);
                if (!Files.isDirectory(chroot)) {
                    throw new UsageException("--chroot " + chroot + ": no such directory");
                }
            } else {
                throw new UsageException("unknown argument " + args[i]);
            }
        }
        if (conf == null) {
            throw new UsageException("--conf CEPH_CONF is required");
        }
        List<String[]> mons;
        try {
            mons = monHosts(Files.readString(conf));
        } catch (IOException e) {
            err.println("jceph demo: cannot read " + conf + ": " + e.getMessage());
            return 1;
        }
        if (mons.isEmpty()) {
            err.println("jceph demo: no v1:/v2: monitor address in mon_host of " + conf);
            return 1;
        }
        int failures = 0;
        out.println("jceph demo against the cluster of " + conf);
        for (String[] m : mons) {
            InetSocketAddress addr = new InetSocketAddress(m[1].replace("[", "").replace("]", ""), Integer.parseInt(m[2]));
            try {
                if (m[0].equals("v1")) {
                    BannerProbe.V1 v1 = BannerProbe.probeV1(addr, TIMEOUT);
                    out.println("[msgr1] " + addr + ": banner '" + v1.banner() + "'");
                    out.println("        monitor's address (legacy ceph_entity_addr, 136 bytes, big-endian family): "
                            + v1.server());
                    out.println("        our address as the monitor sees it: " + v1.client());
                } else {
                    BannerProbe.V2 v2 = BannerProbe.probeV2(addr, TIMEOUT);
                    out.println("[msgr2] " + addr + ": banner '" + v2.banner() + "', supported features 0x"
                            + Long.toHexString(v2.supported()) + " " + msgr2Features(v2.supported())
                            + ", required 0x" + Long.toHexString(v2.required()));
                }
            } catch (IOException | RuntimeException e) {
                failures++;
                err.println("[" + (m[0].equals("v1") ? "msgr1" : "msgr2") + "] " + addr + ": FAILED: " + e.getMessage());
            }
        }
        failures += ClusterTour.run(conf, pool, new StockTools(chroot), out, err);
        out.println("[features] jceph advertises " + CephFeature.decodeMask(CephFeature.CLIENT_SUPPORTED).size()
                + " Ceph feature bits, up to SERVER_TENTACLE, as a Tentacle client does (mask 0x" + Long.toHexString(CephFeature.CLIENT_SUPPORTED) + ")");
        out.println(failures == 0 ? "demo: all steps succeeded" : "demo: " + failures + " step(s) failed");
        return failures == 0 ? 0 : 1;
    }

    /** msgr2 banner feature bits (ProtocolV2: REVISION_1 = 1, COMPRESSION = 2). */
    private static String msgr2Features(long f) {
        List<String> names = new ArrayList<>();
        if ((f & 1) != 0) {
            names.add("REVISION_1");
        }
        if ((f & 2) != 0) {
            names.add("COMPRESSION");
        }
        return names.toString();
    }

    /** The v1:/v2: addresses in the mon_host line (the messenger's CephConfig reads every syntax). */
    static List<String[]> monHosts(String confText) {
        List<String[]> out = new ArrayList<>();
        for (String line : confText.split("\n")) {
            String t = line.trim();
            if (t.matches("(?i)mon[ _]host\\s*=.*")) {
                Matcher m = MON_ADDR.matcher(t);
                while (m.find()) {
                    out.add(new String[] {m.group(1), m.group(2), m.group(3)});
                }
            }
        }
        return out;
    }

}
