package org.jceph.cli.rbd;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jceph.cli.UsageException;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.RbdFeatures;
import org.jceph.rbd.RbdImage;

/**
 * {@code jceph rbd}: the stock rbd tool's arguments for create, ls, info, rm, resize, mv, import,
 * export and bench, on format 2 images. Images are named {@code [POOL/]IMAGE} (pool {@code rbd}
 * by default) or as qemu names them, {@code rbd:POOL/IMAGE}.
 */
public final class RbdCommand {
    private static final long MIB = 1 << 20;

    private RbdCommand() {
    }

    private record Args(List<String> pos, List<String> ceph, Map<String, String> opts, List<String> flags) {
        String opt(String name, String dflt) {
            return opts.getOrDefault(name, dflt);
        }
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        Args a = parse(argv);
        if (a.pos().isEmpty()) {
            throw new UsageException("usage: rbd <create|ls|info|rm|resize|mv|import|export|bench> ...");
        }
        String cmd = a.pos().get(0);
        try (RadosClient rados = RadosClient.connect(CephConfig.fromEnvironment(a.ceph().toArray(String[]::new)))) {
            switch (cmd) {
                case "create" -> {
                    String[] spec = spec(a, 1);
                    long size = parseSize(a.opt("size", a.opt("s", null)), "--size");
                    int order = orderOf(a);
                    RbdImage.create(rados.ioCtx(spec[0]), spec[1], size, order, features(a));
                }
                case "ls", "list" -> {
                    String pool = a.pos().size() > 1 ? a.pos().get(1) : a.opt("pool", "rbd");
                    IoCtx io = rados.ioCtx(pool);
                    boolean longFormat = a.flags().contains("l") || a.flags().contains("long");
                    if (longFormat) {
                        out.printf("%-16s %7s %-7s %s%n", "NAME", "SIZE", "PARENT", "FMT");
                    }
                    for (String name : RbdImage.list(io).keySet()) {
                        if (longFormat) {
                            try (RbdImage img = RbdImage.open(io, name, true)) {
                                out.printf("%-16s %7s %-7s %d%n", name, human(img.size()), "", 2);
                            } catch (RbdException e) {
                                out.printf("%-16s %7s %-7s %d%n", name, "?", "", 2);
                            }
                        } else {
                            out.println(name);
                        }
                    }
                }
                case "info" -> {
                    String[] spec = spec(a, 1);
                    try (RbdImage img = RbdImage.open(rados.ioCtx(spec[0]), spec[1], true)) {
                        long objects = (img.size() + (1L << img.order()) - 1) >> img.order();
                        out.println("rbd image '" + spec[1] + "':");
                        out.println("\tsize " + human(img.size()) + " in " + objects + " objects");
                        out.println("\torder " + img.order() + " (" + human(1L << img.order()) + " objects)");
                        out.println("\tid: " + img.id());
                        out.println("\tblock_name_prefix: " + img.objectPrefix());
                        out.println("\tformat: 2");
                        out.println("\tfeatures: " + RbdFeatures.names(img.features()));
                        if (img.layout().isStriped()) {
                            out.println("\tstripe unit: " + human(img.layout().stripeUnit()));
                            out.println("\tstripe count: " + img.layout().stripeCount());
                        }
                    }
                }
                case "rm", "remove" -> {
                    String[] spec = spec(a, 1);
                    RbdImage.remove(rados.ioCtx(spec[0]), spec[1]);
                    out.println("Removing image: 100% complete...done.");
                }
                case "resize" -> {
                    String[] spec = spec(a, 1);
                    long size = parseSize(a.opt("size", a.opt("s", null)), "--size");
                    try (RbdImage img = RbdImage.open(rados.ioCtx(spec[0]), spec[1], false)) {
                        if (size < img.size() && !a.flags().contains("allow-shrink")) {
                            err.println("rbd: shrinking an image is only allowed with the --allow-shrink flag");
                            return 22;
                        }
                        img.resize(size);
                    }
                    out.println("Resizing image: 100% complete...done.");
                }
                case "mv", "rename" -> {
                    String[] from = spec(a, 1);
                    String[] to = spec(a, 2);
                    if (!from[0].equals(to[0])) {
                        throw new UsageException("mv works within one pool");
                    }
                    RbdImage.rename(rados.ioCtx(from[0]), from[1], to[1]);
                }
                case "import" -> {
                    String file = a.pos().get(1);
                    String[] spec = spec(a, 2);
                    byte[] data = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
                    IoCtx io = rados.ioCtx(spec[0]);
                    RbdImage.create(io, spec[1], data.length, orderOf(a), features(a));
                    try (RbdImage img = RbdImage.open(io, spec[1], false)) {
                        copyIn(img, data);
                    }
                    out.println("Importing image: 100% complete...done.");
                }
                case "export" -> {
                    String[] spec = spec(a, 1);
                    String file = a.pos().get(2);
                    try (RbdImage img = RbdImage.open(rados.ioCtx(spec[0]), spec[1], true)) {
                        if (file.equals("-")) {
                            copyOut(img, out);
                            out.flush();
                        } else {
                            try (OutputStream o = Files.newOutputStream(Path.of(file))) {
                                copyOut(img, o);
                            }
                        }
                    }
                    if (!file.equals("-")) {
                        out.println("Exporting image: 100% complete...done.");
                    }
                }
                case "snap" -> {
                    String sub = a.pos().size() > 1 ? a.pos().get(1) : "";
                    String target = a.pos().size() > 2 ? a.pos().get(2) : a.opt("image", null);
                    if (target == null) {
                        throw new UsageException("usage: rbd snap <create|ls|rm|protect|unprotect|rollback> [POOL/]IMAGE[@SNAP]");
                    }
                    int at = target.indexOf('@');
                    String image = at < 0 ? target : target.substring(0, at);
                    String snap = at < 0 ? a.opt("snap", null) : target.substring(at + 1);
                    String[] spec = spec(new Args(List.of("snap", image), a.ceph(), a.opts(), a.flags()), 1);
                    boolean write = !sub.equals("ls") && !sub.equals("list");
                    try (RbdImage img = RbdImage.open(rados.ioCtx(spec[0]), spec[1], !write)) {
                        switch (sub) {
                            case "ls", "list" -> {
                                out.printf("%5s  %-16s %7s%n", "SNAPID", "NAME", "SIZE");
                                for (RbdImage.Snapshot s : img.snapshots()) {
                                    out.printf("%5d  %-16s %7s%n", s.id(), s.name(), human(s.size()));
                                }
                            }
                            case "create", "add" -> img.snapCreate(needSnap(snap));
                            case "rm", "remove" -> img.snapRemove(needSnap(snap));
                            case "protect" -> img.snapProtect(needSnap(snap));
                            case "unprotect" -> img.snapUnprotect(needSnap(snap));
                            case "rollback", "revert" -> {
                                img.snapRollback(needSnap(snap));
                                out.println("Rolling back to snapshot: 100% complete...done.");
                            }
                            default -> throw new UsageException("unknown snap command '" + sub + "'");
                        }
                    }
                }
                case "bench" -> {
                    String[] spec = spec(a, 1);
                    try (RbdImage img = RbdImage.open(rados.ioCtx(spec[0]), spec[1], !a.opt("io-type", "write").equals("write"))) {
                        new RbdBench(img, out).run(a.opt("io-type", "write"), (int) parseSize(a.opt("io-size", "4096"), "--io-size"),
                                Integer.parseInt(a.opt("io-threads", "16")), parseSize(a.opt("io-total", "1G"), "--io-total"),
                                a.opt("io-pattern", "seq"));
                    }
                }
                default -> throw new UsageException("unknown rbd command '" + cmd + "'");
            }
            return 0;
        } catch (RbdException e) {
            err.println("rbd: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("jceph rbd: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Writes the data in 4 MiB pieces, 8 in flight. */
    private static void copyIn(RbdImage img, byte[] data) throws InterruptedException {
        Semaphore slots = new Semaphore(8);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int chunk = 4 << 20;
        for (int off = 0; off < data.length && failure.get() == null; off += chunk) {
            slots.acquire();
            byte[] piece = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + chunk));
            img.writeAsync(off, piece).whenComplete((v, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                slots.release();
            });
        }
        if (!slots.tryAcquire(8, 300, TimeUnit.SECONDS) || failure.get() != null) {
            throw new RbdException("import failed: " + failure.get());
        }
    }

    private static void copyOut(RbdImage img, OutputStream o) throws IOException {
        int chunk = 4 << 20;
        List<CompletableFuture<byte[]>> window = new ArrayList<>();
        long next = 0;
        while (next < img.size() || !window.isEmpty()) {
            while (window.size() < 8 && next < img.size()) {
                int n = (int) Math.min(chunk, img.size() - next);
                window.add(img.readAsync(next, n));
                next += n;
            }
            o.write(window.remove(0).join());
        }
    }

    private static String needSnap(String snap) {
        if (snap == null || snap.isEmpty()) {
            throw new UsageException("name a snapshot: IMAGE@SNAP");
        }
        return snap;
    }

    private static long features(Args a) {
        String f = a.opt("image-feature", "layering");
        long bits = 0;
        for (String name : f.split(",")) {
            bits |= switch (name.trim()) {
                case "layering" -> RbdFeatures.LAYERING;
                case "deep-flatten" -> RbdFeatures.DEEP_FLATTEN;
                case "exclusive-lock", "object-map", "fast-diff", "journaling", "striping", "data-pool" ->
                        throw new UsageException("feature " + name + " cannot be honoured by jceph yet");
                default -> throw new UsageException("unknown image feature " + name);
            };
        }
        return bits;
    }

    private static int orderOf(Args a) {
        if (a.opts().containsKey("object-size")) {
            long os = parseSize(a.opt("object-size", null), "--object-size");
            return 63 - Long.numberOfLeadingZeros(os);
        }
        return Integer.parseInt(a.opt("order", "22"));
    }

    /** [POOL/]IMAGE or rbd:POOL/IMAGE; --pool/--image options override. */
    private static String[] spec(Args a, int index) {
        String s = index < a.pos().size() ? a.pos().get(index) : a.opt("image", null);
        if (s == null) {
            throw new UsageException("name an image: [POOL/]IMAGE");
        }
        if (s.startsWith("rbd:")) {
            s = s.substring(4);
        }
        int slash = s.indexOf('/');
        return slash < 0 ? new String[] {a.opt("pool", "rbd"), s} : new String[] {s.substring(0, slash), s.substring(slash + 1)};
    }

    /** rbd's sizes: a plain number is MiB; suffixes B, K, M, G, T. */
    static long parseSize(String s, String what) {
        if (s == null) {
            throw new UsageException(what + " is required");
        }
        String t = s.trim().toUpperCase().replace("IB", "");
        long mult = MIB;
        char last = t.charAt(t.length() - 1);
        if (Character.isLetter(last)) {
            mult = switch (last) {
                case 'B' -> 1;
                case 'K' -> 1L << 10;
                case 'M' -> MIB;
                case 'G' -> 1L << 30;
                case 'T' -> 1L << 40;
                default -> throw new UsageException("bad size " + s);
            };
            t = t.substring(0, t.length() - 1);
        } else if (!what.equals("--size")) {
            mult = 1; // --io-size and --io-total take bytes
        }
        return Long.parseLong(t) * mult;
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return (v == Math.floor(v) ? String.valueOf((long) v) : String.format("%.1f", v)) + " " + units[u];
    }

    private static Args parse(String[] argv) {
        List<String> pos = new ArrayList<>();
        List<String> ceph = new ArrayList<>();
        Map<String, String> opts = new java.util.HashMap<>();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i];
            switch (s) {
                case "-c", "--conf", "--id", "--name", "-n", "--keyring", "-k", "-m" -> {
                    ceph.add(s);
                    ceph.add(value(argv, ++i, s));
                }
                case "-l", "--long" -> flags.add("l");
                case "--allow-shrink", "--no-progress" -> flags.add(s.substring(2));
                case "-p" -> opts.put("pool", value(argv, ++i, s));
                case "-s" -> opts.put("size", value(argv, ++i, s));
                default -> {
                    if (s.startsWith("--")) {
                        String k = s.substring(2);
                        int eq = k.indexOf('=');
                        if (eq >= 0) {
                            opts.put(k.substring(0, eq), k.substring(eq + 1));
                        } else {
                            opts.put(k, value(argv, ++i, s));
                        }
                    } else {
                        pos.add(s);
                    }
                }
            }
        }
        return new Args(pos, ceph, opts, flags);
    }

    private static String value(String[] argv, int i, String option) {
        if (i >= argv.length) {
            throw new UsageException(option + " needs a value");
        }
        return argv[i];
    }

    /** {@code rbd bench}: io-threads requests in flight until io-total bytes moved; rbd bench's report shape. */
    static final class RbdBench {
        private final RbdImage img;
        private final PrintStream out;

        RbdBench(RbdImage img, PrintStream out) {
            this.img = img;
            this.out = out;
        }

        void run(String type, int ioSize, int threads, long total, String pattern) throws InterruptedException {
            if (!type.equals("write") && !type.equals("read")) {
                throw new UsageException("--io-type must be read or write");
            }
            boolean rand = pattern.startsWith("rand");
            out.printf("bench  type %s io_size %d io_threads %d bytes %d pattern %s%n", type, ioSize, threads, total,
                    rand ? "random" : "sequential");
            byte[] buf = new byte[ioSize];
            new Random(1).nextBytes(buf);
            Random r = new Random(2);
            long blocks = img.size() / ioSize;
            long ops = total / ioSize;
            Semaphore slots = new Semaphore(threads);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            long seq = 0;
            for (long i = 0; i < ops && failure.get() == null; i++) {
                slots.acquire();
                long off = (rand ? (long) (r.nextDouble() * blocks) : seq++ % blocks) * ioSize;
                CompletableFuture<?> f = type.equals("write") ? img.writeAsync(off, buf) : img.readAsync(off, ioSize);
                f.whenComplete((v, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    slots.release();
                });
            }
            if (!slots.tryAcquire(threads, 300, TimeUnit.SECONDS) || failure.get() != null) {
                throw new RbdException("bench failed: " + failure.get());
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf("elapsed: %d   ops: %d   ops/sec: %.2f   bytes/sec: %s/s%n", Math.round(secs), ops, ops / secs,
                    human(Math.round(ops * (double) ioSize / secs / MIB) * MIB));
            out.printf("cpu seconds per op: %.9f%n", (cpu() - cpu0) / 1e9 / ops);
        }

        private static long cpu() {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
        }
    }
}
