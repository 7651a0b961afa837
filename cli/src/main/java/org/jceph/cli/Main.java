package org.jceph.cli;

import java.io.PrintStream;
import java.util.Arrays;
import org.jceph.cli.demo.Demo;

/**
 * The {@code jceph} command. Each subcommand mirrors a stock Ceph tool where one exists (same
 * arguments, same output), so scripts can switch between them.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        startupDefaults(args);
        int rc = run(args, System.out, System.err);
        System.out.flush();
        System.exit(rc);
    }

    /**
     * Process-wide settings of the jceph command (the libraries leave them to their embedders),
     * each only when not set already (-D in JAVA_OPTS wins). They make a short command start
     * sooner without changing what it prints (docs/BENCHMARKS.md, Session 10: CLI start-up):
     * <ul>
     *   <li>{@code slf4j.provider}: SLF4J loads the binding by name instead of scanning every jar
     *       for providers, and the binding ({@link org.jceph.cli.log.LazySimpleProvider}) sets
     *       slf4j-simple up only when a line is to be printed. SLF4J announces a provider named
     *       this way at its INFO verbosity: {@code slf4j.internal.verbosity} WARN keeps stderr
     *       as it was (SLF4J's own warnings still print).</li>
     *   <li>{@code io.netty.machineId}: the 8 bytes Netty puts in its channel ids (which nothing
     *       here reads), so Netty does not walk the host's network interfaces for a MAC address.</li>
     *   <li>{@code io.netty.allocator.type} unpooled, for a short command only (not bench, serve,
     *       import or export: the launcher's rule for C1): a command that exchanges a few small
     *       messages gains nothing from the pooled allocator, whose arenas and thread caches it
     *       would set up for nothing.</li>
     *   <li>{@code io.netty.leakDetection.level} disabled, for a short command only: Netty samples
     *       one buffer in 128 for leak tracking, recording a stack trace for it; a process that
     *       lives a moment never reports a leak (the check runs when a tracked buffer is
     *       collected), so the sampling is work for nothing.</li>
     * </ul>
     *
     * @param args the command line (which command decides the allocator)
     */
    static void startupDefaults(String[] args) {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", org.jceph.cli.log.LazySimpleProvider.class.getName());
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
        if (System.getProperty("io.netty.machineId") == null) {
            // locally administered, so it cannot be taken for a real interface's address
            System.setProperty("io.netty.machineId", "02:00:00:00:00:00:00:01");
        }
        if (shortCommand(args)) {
            if (System.getProperty("io.netty.allocator.type") == null) {
                System.setProperty("io.netty.allocator.type", "unpooled");
            }
            if (System.getProperty("io.netty.leakDetection.level") == null) {
                System.setProperty("io.netty.leakDetection.level", "disabled");
            }
        }
    }

    /** A command that runs for a moment: bin/jceph's rule (bench, serve, import, export and demo are long). */
    static boolean shortCommand(String[] args) {
        if (args.length == 0 || args[0].equals("demo")) {
            return false;
        }
        for (String a : args) {
            switch (a) {
                case "bench", "serve", "import", "export" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return true;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(err);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "demo" -> Demo.run(rest, out, err);
                case "crushtool" -> org.jceph.cli.crushtool.CrushTool.run(rest, out, err);
                case "osdmaptool" -> org.jceph.cli.osdmaptool.OsdmapTool.run(rest, out, err);
                case "rados" -> org.jceph.cli.rados.RadosCommand.run(rest, out, err);
                case "nbd" -> org.jceph.cli.nbd.NbdServeCommand.run(rest, out, err);
                case "explain" -> org.jceph.cli.explain.ExplainCommand.run(rest, out, err);
                case "rbd" -> org.jceph.cli.rbd.RbdCommand.run(rest, out, err);
                case "decode" -> org.jceph.cli.decode.DecodeCommand.run(rest, out, err);
                case "osd" -> {
                    if (rest.length > 0 && rest[0].equals("df-plot")) {
                        yield org.jceph.cli.osd.OsdDfPlotCommand.run(java.util.Arrays.copyOfRange(rest, 1, rest.length),
                                out, err);
                    }
                    if (rest.length == 0 || !rest[0].equals("map")) {
                        throw new UsageException("only 'osd map POOL OBJECT [NSPACE]' and 'osd df-plot FILE.svg' are implemented");
                    }
                    yield org.jceph.cli.osd.OsdMapCommand.run(java.util.Arrays.copyOfRange(rest, 1, rest.length), out, err);
                }
                case "help", "-h", "--help" -> {
                    usage(out);
                    yield 0;
                }
                default -> {
                    err.println("jceph: unknown command '" + args[0] + "'");
                    usage(err);
                    yield 2;
                }
            };
        } catch (UsageException e) {
            err.println("jceph " + args[0] + ": " + e.getMessage());
            return 2;
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: jceph <command> [args]");
        s.println("  demo --conf CEPH_CONF [--pool POOL]   run what the pure-Java stack can do against a cluster");
        s.println("                          (in POOL, or in a temporary pool it creates and deletes; bin/jceph demo");
        s.println("                          with no --conf starts a throwaway local cluster, --release reef|tentacle)");
        s.println("  crushtool ...           crushtool's --test, -d, --tree and --dump, same output");
        s.println("  osdmaptool MAP ...      osdmaptool's --print, --tree, --dump json, --test-map-*, same output;");
        s.println("                          --plot FILE.svg (with --mark-out/--reweight: before/after)");
        s.println("  osd map POOL OBJ [NS]   where an object lives, from the live cluster's map (as ceph osd map)");
        s.println("  rados -p POOL CMD ...   put, get, rm, stat, xattrs, omap, bench (as rados)");
        s.println("  osd df-plot FILE.svg    PGs and primaries per OSD against CRUSH weight, live cluster");
        s.println("  explain MAP|--cluster POOL OBJ   every step from an object's name to its OSDs");
        s.println("                          (--format svg|html draws it; --diff MAP_A MAP_B POOL: PGs that move)");
        s.println("  rbd CMD ...             create, ls, info, rm, resize, mv, import, export, bench (as rbd)");
        s.println("  decode --pcap FILE      annotated view of the msgr2 (crc) and msgr1 sessions in a capture");
        s.println("  nbd serve rbd:POOL/IMG  serve RBD images over NBD (--socket PATH | --bind ADDR:PORT, --read-only)");
    }
}
