package org.jceph.cli.rados;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jceph.cli.UsageException;
import org.jceph.messenger.config.CephConfig;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;

/**
 * {@code jceph rados -p POOL <command>}: the stock {@code rados} tool's arguments for the
 * commands the client supports so far: put, get, rm, stat, append, truncate, create, setxattr,
 * getxattr, rmxattr, listxattr, setomapval, getomapval, listomapkeys, rmomapkey, getomapheader,
 * setomapheader, clearomap, and bench (write, seq, rand).
 */
public final class RadosCommand {
    private RadosCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> pos = new ArrayList<>();
        List<String> cephArgs = new ArrayList<>();
        String pool = null;
        int size = 4 << 20;
        int threads = 16;
        boolean cleanup = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-p", "--pool" -> pool = value(args, ++i, a);
                case "-b" -> size = (int) parseSize(value(args, ++i, a));
                case "-t", "--concurrent-ios" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--no-cleanup" -> cleanup = false;
                case "-c", "--conf", "--id", "-i", "--name", "-n", "--keyring", "-k", "-m" -> {
                    cephArgs.add(a);
                    cephArgs.add(value(args, ++i, a));
                }
                default -> pos.add(a);
            }
        }
        if (pool == null || pos.isEmpty()) {
            throw new UsageException("usage: rados -p POOL <put|get|rm|stat|...|bench> ...");
        }
        try (RadosClient client = RadosClient.connect(CephConfig.fromEnvironment(cephArgs.toArray(String[]::new)))) {
            IoCtx io = client.ioCtx(pool);
            String cmd = pos.get(0);
            switch (cmd) {
                case "put" -> io.writeFull(arg(pos, 1), Files.readAllBytes(Path.of(arg(pos, 2))));
                case "get" -> {
                    IoCtx.ObjectStat st = io.stat(arg(pos, 1));
                    Files.write(Path.of(arg(pos, 2)), io.read(arg(pos, 1), 0, (int) st.size()));
                }
                case "rm" -> io.remove(arg(pos, 1));
                case "stat" -> {
                    IoCtx.ObjectStat st = io.stat(arg(pos, 1));
                    out.println(pool + "/" + arg(pos, 1) + " mtime " + st.mtime().toInstant() + ", size " + st.size());
                }
                case "append" -> io.append(arg(pos, 1), Files.readAllBytes(Path.of(arg(pos, 2))));
                case "truncate" -> io.truncate(arg(pos, 1), Long.parseLong(arg(pos, 2)));
                case "create" -> io.create(arg(pos, 1), true);
                case "setxattr" -> io.setXattr(arg(pos, 1), arg(pos, 2), bytes(arg(pos, 3)));
                case "getxattr" -> out.write(io.getXattr(arg(pos, 1), arg(pos, 2)));
                case "rmxattr" -> io.rmXattr(arg(pos, 1), arg(pos, 2));
                case "listxattr" -> io.getXattrs(arg(pos, 1)).keySet().forEach(out::println);
                case "setomapval" -> io.omapSetVals(arg(pos, 1), java.util.Map.of(arg(pos, 2), bytes(arg(pos, 3))));
                case "getomapval" -> {
                    byte[] v = io.omapGetValsByKeys(arg(pos, 1), List.of(arg(pos, 2))).get(arg(pos, 2));
                    if (v == null) {
                        err.println("error getting omap value " + pool + "/" + arg(pos, 1) + "/" + arg(pos, 2)
                                + ": (2) No such file or directory");
                        return 1;
                    }
                    Files.write(Path.of(arg(pos, 3)), v);
                }
                case "listomapkeys" -> io.omapGetKeys(arg(pos, 1), "", Long.MAX_VALUE).forEach(out::println);
                case "rmomapkey" -> io.omapRmKeys(arg(pos, 1), List.of(arg(pos, 2)));
                case "getomapheader" -> Files.write(Path.of(arg(pos, 2)), io.omapGetHeader(arg(pos, 1)));
                case "setomapheader" -> io.omapSetHeader(arg(pos, 1), bytes(arg(pos, 2)));
                case "clearomap" -> io.omapClear(arg(pos, 1));
                case "bench" -> {
                    int seconds = Integer.parseInt(arg(pos, 1));
                    String mode = arg(pos, 2);
                    RadosBench bench = new RadosBench(io, out);
                    long written = bench.run("write", mode.equals("write") ? seconds : Math.min(seconds, 10), size,
                            threads, 0);
                    if (!mode.equals("write")) {
                        out.println();
                        bench.run(mode, seconds, size, threads, written);
                    }
                    if (cleanup) {
                        bench.cleanup(written);
                    }
                }
                default -> throw new UsageException("unknown rados command '" + cmd + "'");
            }
            return 0;
        } catch (RadosException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("jceph rados: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String arg(List<String> pos, int i) {
        if (i >= pos.size()) {
            throw new UsageException(pos.get(0) + " needs more arguments");
        }
        return pos.get(i);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    /** 4096, 4K, 4M as rados accepts them. */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase();
        long mult = 1;
        if (t.endsWith("K")) {
            mult = 1 << 10;
        } else if (t.endsWith("M")) {
            mult = 1 << 20;
        } else if (t.endsWith("G")) {
            mult = 1L << 30;
        }
        if (mult > 1) {
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mult;
    }
}
