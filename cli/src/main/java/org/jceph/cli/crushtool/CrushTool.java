package org.jceph.cli.crushtool;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jceph.crush.CrushMap;
import org.jceph.crush.UnsupportedCrushFeatureException;
import org.jceph.encoding.DecodeException;

/**
 * {@code jceph crushtool}: the subset of Ceph's crushtool (src/tools/crushtool.cc) that reads a
 * compiled map: {@code --test} with its reporting options, and {@code --trace} (ours). Standard
 * output matches crushtool's byte for byte for the same map and arguments.
 *
 * <p>{@code -d} and {@code --dump} print as the crushtool of one release does ({@code --release
 * NAME}, a jceph option): Pacific (ruleset, min_size, max_size, weights to 3 decimals), Quincy and
 * later (no rulesets or sizes, weights to 5 decimals; checked against Reef 18.2.7), Squid and later
 * (MSR rule types and steps, the MSR tunables). A compiled map does not say which release wrote
 * it; without the option a map with MSR rules or MSR tunables prints as Tentacle's crushtool
 * prints, any other map as Pacific's.
 */
public final class CrushTool {
    private CrushTool() {
    }

    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        System.out.flush();
        System.exit(rc);
    }

    static String usage() {
        return "usage: crushtool -i mapfn --test [--show-mappings] [--show-bad-mappings] [--show-statistics]\n"
                + "         [--show-utilization] [--show-utilization-all] [--rule N | --min-rule N --max-rule N]\n"
                + "         [--num-rep N] [--x X | --min-x X --max-x X] [--pool-id P]\n"
                + "         [--weight DEV W]... [--trace]\n"
                + "       crushtool -d mapfn [-o outfn] [--release NAME] | -i mapfn --dump|--tree [--release NAME]\n";
    }

    public static int run(String[] args, PrintStream stdout, PrintStream err) {
        PrintStream out = new PrintStream(new BufferedOutputStream(stdout, 1 << 16), false);
        try {
            return runBuffered(args, out, err);
        } finally {
            out.flush();
        }
    }

    private static int runBuffered(String[] argv, PrintStream out, PrintStream err) {
        String infn = null;
        String decompileFn = null;
        String outFn = null;
        boolean tree = false;
        boolean dump = false;
        boolean test = false;
        boolean trace = false;
        int release = -1;
        List<String> args = List.of(argv);
        TesterOptions o = new TesterOptions();
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "-i":
                    case "--infn":
                        infn = need(args, ++i, a);
                        break;
                    case "-d":
                    case "--decompile":
                        decompileFn = need(args, ++i, a);
                        break;
                    case "-o":
                    case "--outfn":
                        outFn = need(args, ++i, a);
                        break;
                    case "--tree":
                        tree = true;
                        break;
                    case "--dump":
                        dump = true;
                        break;
                    case "--test":
                        test = true;
                        break;
                    case "--trace":
                        trace = true;
                        break;
                    case "--show-mappings":
                        o.showMappings = true;
                        break;
                    case "--show-bad-mappings":
                        o.showBadMappings = true;
                        break;
                    case "--show-statistics":
                        o.showStatistics = true;
                        break;
                    case "--show-utilization":
                        o.showUtilization = true;
                        o.showStatistics = true;
                        break;
                    case "--show-utilization-all":
                        o.showUtilizationAll = true;
                        o.showStatistics = true;
                        break;
                    case "--rule":
                        o.minRule = o.maxRule = intArg(args, ++i, a);
                        break;
                    case "--min-rule":
                        o.minRule = intArg(args, ++i, a);
                        break;
                    case "--max-rule":
                        o.maxRule = intArg(args, ++i, a);
                        break;
                    case "--num-rep":
                        o.minRep = o.maxRep = intArg(args, ++i, a);
                        break;
                    case "--x":
                        o.minX = o.maxX = intArg(args, ++i, a);
                        break;
                    case "--min-x":
                        o.minX = intArg(args, ++i, a);
                        break;
                    case "--max-x":
                        o.maxX = intArg(args, ++i, a);
                        break;
                    case "--pool-id":
                        o.poolId = intArg(args, ++i, a);
                        break;
                    case "--release":
                        release = Decompiler.releaseNumber(need(args, ++i, a));
                        break;
                    case "--weight":
                    case "-w": {
                        int dev = (int) leadingLong(need(args, ++i, a));
                        float w = leadingFloat(need(args, ++i, a));
                        o.weights.add(new float[] {dev, w});
                        break;
                    }
                    default:
                        err.println("unrecognized arg " + a);
                        err.print(usage());
                        return 1;
                }
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (decompileFn != null) {
            infn = decompileFn;
        }
        if (infn == null) {
            err.println("no action specified; -h for help");
            return 1;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(infn));
        } catch (IOException e) {
            err.println("crushtool: error reading '" + infn + "': " + e.getMessage());
            return 1;
        }
        CrushMap map;
        try {
            map = CrushMap.decode(bytes);
        } catch (DecodeException e) {
            err.println("crushtool: unable to decode " + infn + ": " + e.getMessage());
            return 1;
        }
        if (release < 0) {
            release = Decompiler.defaultRelease(map);
        }
        if (decompileFn != null) {
            String text;
            try {
                text = new Decompiler(map, release).decompile();
            } catch (IllegalStateException e) {
                err.println(e.getMessage());
                return 1;
            }
            if (outFn != null) {
                try {
                    Files.writeString(Path.of(outFn), text);
                } catch (IOException e) {
                    err.println("crushtool: error writing '" + outFn + "': " + e.getMessage());
                    return 1;
                }
            } else {
                out.print(text);
            }
            return 0;
        }
        if (tree) {
            out.print(new TreeDumper(map).plainText());
        }
        if (dump) {
            out.print(new JsonDumper(map, release).dump());
        }
        if ((tree || dump) && !test && !trace) {
            return 0;
        }
        if (!test && !trace) {
            err.println("no action specified; -h for help");
            return 1;
        }
        try {
            CrushTester t = new CrushTester(map);
            o.applyTo(t);
            if (trace) {
                return new TraceCommand(t).run(out);
            }
            return t.test(out, err);
        } catch (UnsupportedCrushFeatureException e) {
            err.println("crushtool: " + e.getMessage());
            return 1;
        }
    }

    /** Options collected before the map is loaded. */
    private static final class TesterOptions {
        int minRule = -1;
        int maxRule = -1;
        int minX = -1;
        int maxX = -1;
        int minRep = -1;
        int maxRep = -1;
        long poolId = -1;
        boolean showMappings;
        boolean showBadMappings;
        boolean showStatistics;
        boolean showUtilization;
        boolean showUtilizationAll;
        final List<float[]> weights = new ArrayList<>();

        void applyTo(CrushTester t) {
            t.minRule = minRule;
            t.maxRule = maxRule;
            t.minX = minX;
            t.maxX = maxX;
            t.minRep = minRep;
            t.maxRep = maxRep;
            t.poolId = poolId;
            t.showMappings = showMappings;
            t.showBadMappings = showBadMappings;
            t.showStatistics = showStatistics;
            t.showUtilization = showUtilization;
            t.showUtilizationAll = showUtilizationAll;
            for (float[] w : weights) {
                t.setDeviceWeight((int) w[0], w[1]);
            }
        }
    }

    private static String need(List<String> args, int i, String opt) {
        if (i >= args.size()) {
            throw new IllegalArgumentException("Option " + opt + " requires an argument.");
        }
        return args.get(i);
    }

    private static int intArg(List<String> args, int i, String opt) {
        String v = need(args, i, opt);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The option value '" + v + "' is invalid");
        }
    }

    /** strtol(s, 0, 10) semantics: leading integer, 0 if none. */
    private static long leadingLong(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([+-]?\\d+)").matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** strtof(s, 0) semantics for plain decimals: leading number, 0 if none. */
    private static float leadingFloat(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)")
                .matcher(s);
        return m.find() ? Float.parseFloat(m.group(1)) : 0f;
    }
}
