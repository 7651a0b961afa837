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
        int rc = run(args, System.out, System.err);
        System.out.flush();
        System.exit(rc);
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
