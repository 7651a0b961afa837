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

    /** The commands run() knows; anything else is refused before connecting, as the stock tool does. */
    private static final java.util.Set<String> COMMANDS = java.util.Set.of("lspools", "df", "ls", "mksnap", "rmsnap",
            "lssnap", "rollback", "lock", "notify", "watch", "put", "get", "rm", "stat", "append", "truncate", "create",
            "setxattr", "getxattr", "rmxattr", "listxattr", "setomapval", "getomapval", "listomapkeys", "listomapvals",
            "rmomapkey", "getomapheader", "setomapheader", "clearomap", "bench", "cleanup");

    /** The stock tool's refusal of an unknown command or option, and its exit status. */
    private static int unrecognized(PrintStream err, String what) {
        err.println("unrecognized command " + what + "; -h or --help for usage");
        err.println("error 22: (22) Invalid argument");
        return 1;
    }

    /** rados --help: the commands jceph implements, in the stock tool's layout. Connects to nothing. */
    static void usage(PrintStream out) {
        out.println("usage: rados [options] [commands]");
        out.println("POOL COMMANDS");
        out.println("   lspools                          list pools");
        out.println("   df                               show per-pool and total usage");
        out.println("   ls                               list objects in pool");
        out.println();
        out.println("POOL SNAP COMMANDS");
        out.println("   lssnap                           list snaps");
        out.println("   mksnap <snap-name>               create snap <snap-name>");
        out.println("   rmsnap <snap-name>               remove snap <snap-name>");
        out.println();
        out.println("OBJECT COMMANDS");
        out.println("   get <obj-name> <outfile>         fetch object");
        out.println("   put <obj-name> <infile>          write object");
        out.println("   append <obj-name> <infile>       append object");
        out.println("   truncate <obj-name> length       truncate object");
        out.println("   create <obj-name>                create object");
        out.println("   rm <obj-name> ...                remove object(s)");
        out.println("   stat <obj-name>                  stat the named object");
        out.println("   rollback <obj-name> <snap-name>  roll back object to snap <snap-name>");
        out.println("   listxattr <obj-name>");
        out.println("   getxattr <obj-name> attr");
        out.println("   setxattr <obj-name> attr val");
        out.println("   rmxattr <obj-name> attr");
        out.println("   listomapkeys <obj-name>          list the keys in the object map");
        out.println("   listomapvals <obj-name>          list the keys and vals in the object map");
        out.println("   getomapval <obj-name> <key> [file] show the value for the specified key");
        out.println("   setomapval <obj-name> <key> <val> | <file>");
        out.println("   rmomapkey <obj-name> <key>");
        out.println("   clearomap <obj-name>             clear all the omap keys for this object");
        out.println("   getomapheader <obj-name> [file]");
        out.println("   setomapheader <obj-name> <val>");
        out.println("   watch <obj-name>                 add watcher on this object");
        out.println("   notify <obj-name> <message>      notify watcher of this object with message");
        out.println("   bench <seconds> write|seq|rand [-t concurrent_operations] [--no-cleanup] [--run-name run_name] [--no-hints] [--reuse-bench]");
        out.println("                                    default is 16 concurrent IOs and 4 MB ops");
        out.println("                                    default is to clean up after write benchmark");
        out.println("                                    default run-name is 'benchmark_last_metadata'");
        out.println("   cleanup [--run-name run_name] [--prefix prefix]");
        out.println("                                    clean up a previous benchmark operation");
        out.println("                                    default run-name is 'benchmark_last_metadata'");
        out.println();
        out.println("ADVISORY LOCKS");
        out.println("   lock list <obj-name>");
        out.println("   lock get <obj-name> <lock-name> [--lock-cookie locker-cookie] [--lock-tag locker-tag]");
        out.println("        [--lock-description locker-desc] [--lock-type locker-type]");
        out.println("   lock break <obj-name> <lock-name> <locker-name> [--lock-cookie locker-cookie]");
        out.println("   lock info <obj-name> <lock-name>");
        out.println();
        out.println("GLOBAL OPTIONS:");
        out.println("   -p pool");
        out.println("   --pool=pool                      select given pool by name");
        out.println("   -b op_size                       set the block size for put/get ops and for write benchmarking");
        out.println("   -N namespace");
        out.println("   --namespace=namespace            specify the namespace to use for the object");
        out.println("   --all                            Use with ls to list objects in all namespaces");
        out.println("   -c, --conf FILE, --id ID, -n, --name NAME, -k, --keyring FILE, -m MONADDR");
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> pos = new ArrayList<>();
        List<String> cephArgs = new ArrayList<>();
        String pool = null;
        String namespace = null;
        boolean all = false;
        boolean lockShared = false;
        String lockCookie = "";
        String lockTag = "";
        String lockDescription = "";
        int size = 4 << 20;
        int threads = 16;
        boolean cleanup = true;
        boolean noVerify = false;
        String runName = RadosBench.DEFAULT_RUN_NAME;
        String prefix = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-p", "--pool" -> pool = value(args, ++i, a);
                case "-b" -> size = (int) parseSize(value(args, ++i, a));
                case "-t", "--concurrent-ios" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--no-cleanup" -> cleanup = false;
                case "--no-verify" -> noVerify = true;
                case "--run-name" -> runName = value(args, ++i, a);
                case "--prefix" -> prefix = value(args, ++i, a);
                case "--no-hints", "--reuse-bench" -> {
                    // accepted as the stock tool does; our writes send no allocation hints anyway
                }
                case "-N", "--namespace" -> namespace = value(args, ++i, a);
                case "--all" -> all = true;
                case "--lock-cookie" -> lockCookie = value(args, ++i, a);
                case "--lock-tag" -> lockTag = value(args, ++i, a);
                case "--lock-description" -> lockDescription = value(args, ++i, a);
                case "--lock-type" -> lockShared = value(args, ++i, a).equals("shared");
                case "-c", "--conf", "--id", "-i", "--name", "-n", "--keyring", "-k", "-m" -> {
                    cephArgs.add(a);
                    cephArgs.add(value(args, ++i, a));
                }
                case "-h", "--help" -> {
                    usage(out);
                    return 0;
                }
                default -> {
                    if (a.startsWith("--pool=")) {
                        pool = a.substring("--pool=".length());
                    } else if (a.startsWith("--namespace=")) {
                        namespace = a.substring("--namespace=".length());
                    } else if (a.startsWith("--") && a.indexOf('_') > 2) {
                        // a Ceph config option, as the stock tool takes them (--ms_client_mode secure,
                        // --opt=value); Ceph's option names all contain an underscore
                        cephArgs.add(a);
                        if (a.indexOf('=') < 0) {
                            cephArgs.add(value(args, ++i, a));
                        }
                    } else if (a.length() > 1 && a.startsWith("-")) {
                        return unrecognized(err, a);
                    } else {
                        pos.add(a);
                    }
                }
            }
        }
        if (pos.isEmpty()) {
            err.println("rados: you must give an action. Try --help");
            return 1;
        }
        if (!COMMANDS.contains(pos.get(0))) {
            return unrecognized(err, pos.get(0));
        }
        CephConfig config = pos.get(0).equals("bench") ? CephConfig.fromEnvironment(cephArgs.toArray(String[]::new))
                : org.jceph.cli.CliConfig.shortCommand(cephArgs);
        try (RadosClient client = RadosClient.connect(config)) {
            String cmd = pos.get(0);
            if (cmd.equals("lspools")) {
                for (String name : client.listPools().values()) {
                    out.println(name);
                }
                return 0;
            }
            if (cmd.equals("df")) {
                df(client, pool, out);
                return 0;
            }
            if (pool == null) {
                throw new UsageException(cmd + " needs -p POOL");
            }
            IoCtx io;
            try {
                io = client.ioCtx(pool);
            } catch (RadosException.PoolNotFoundException e) {
                err.println("error opening pool " + pool + ": (2) No such file or directory");
                return 1;
            }
            if (namespace != null && !namespace.equals(IoCtx.ALL_NAMESPACES)) {
                io.setNamespace(namespace);
            }
            switch (cmd) {
                case "ls" -> {
                    if (all) {
                        // streamed a page at a time, as rados ls prints while it lists
                        io.objects(IoCtx.ALL_NAMESPACES).forEach(o -> out.println(o.namespace() + "\t" + o.oid()));
                    } else {
                        io.objects(io.namespace()).forEach(o -> out.println(o.oid()));
                    }
                }
                case "mksnap" -> {
                    io.snapCreate(arg(pos, 1));
                    out.println("created pool " + pool + " snap " + arg(pos, 1));
                }
                case "rmsnap" -> {
                    io.snapRemove(arg(pos, 1));
                    out.println("removed pool " + pool + " snap " + arg(pos, 1));
                }
                case "lssnap" -> {
                    java.util.Map<Long, org.jceph.osdmap.PoolSnapInfo> snaps = client.osdMap().pool(io.poolId()).snaps();
                    new java.util.TreeMap<>(snaps).forEach((id, info) -> out.println(id + "\t" + info.name() + "\t"
                            + RadosFormat.snapTime(info.stamp().toInstant())));
                    out.println(snaps.size() + " snaps");
                }
                case "rollback" -> {
                    io.snapRollback(arg(pos, 1), arg(pos, 2));
                    out.println("rolled back pool " + pool + " to snapshot " + arg(pos, 2));
                }
                case "lock" -> {
                    String sub = arg(pos, 1);
                    switch (sub) {
                        case "get" -> io.lock(arg(pos, 2), arg(pos, 3), lockShared, lockCookie, lockTag, lockDescription, 0);
                        case "list" -> {
                            // the stock tool's JSON formatter, flushed without a newline
                            out.print("{\"objname\":" + RadosFormat.json(arg(pos, 2)) + ",\"locks\":["
                                    + String.join(",", io.listLocks(arg(pos, 2)).stream()
                                            .map(n -> "{\"name\":" + RadosFormat.json(n) + "}").toList()) + "]}");
                        }
                        case "info" -> {
                            org.jceph.rados.LockInfo li = io.getLockInfo(arg(pos, 2), arg(pos, 3));
                            out.print("{\"name\":" + RadosFormat.json(arg(pos, 3)) + ",\"type\":\""
                                    + (li.type() == org.jceph.rados.LockInfo.SHARED ? "shared" : "exclusive")
                                    + "\",\"tag\":" + RadosFormat.json(li.tag()) + ",\"lockers\":["
                                    + String.join(",", li.lockers().stream().map(l -> "{\"name\":"
                                            + RadosFormat.json(l.name().toString()) + ",\"cookie\":"
                                            + RadosFormat.json(l.cookie()) + ",\"description\":"
                                            + RadosFormat.json(l.description()) + ",\"expiration\":\""
                                            + l.expiration().seconds() + "." + String.format("%06d", l.expiration().nanos() / 1000)
                                            + "\",\"addr\":" + RadosFormat.json(lockerAddr(l.addr())) + "}").toList())
                                    + "]}");
                        }
                        case "break" -> io.breakLock(arg(pos, 2), arg(pos, 3),
                                new org.jceph.encoding.types.EntityName(org.jceph.encoding.types.EntityName.TYPE_CLIENT,
                                        Long.parseLong(arg(pos, 4).replace("client.", ""))), lockCookie);
                        default -> throw new UsageException("lock get|list|info|break");
                    }
                }
                case "notify" -> {
                    // as rados notify: a 10 s notify of the message as an encoded string; each
                    // watcher's reply (with its bytes dumped), then each watcher that timed out
                    IoCtx.NotifyResult r = io.notify(arg(pos, 1),
                            org.jceph.encoding.CephEncoder.toBytes(e -> e.writeString(arg(pos, 2))), 10);
                    r.replies().forEach((who, reply) -> {
                        out.println("reply client." + who.gid() + " cookie " + who.cookie() + " : " + reply.length
                                + " bytes");
                        out.print(RadosFormat.hexdump(reply));
                    });
                    r.timedOut().forEach(who -> out.println("timeout client." + who.gid() + " cookie " + who.cookie()));
                }
                case "watch" -> {
                    long[] cookie = new long[1];
                    cookie[0] = io.watch(arg(pos, 1), (id, gid, payload) -> {
                        synchronized (out) {
                            out.println("NOTIFY cookie " + cookie[0] + " notify_id " + id + " from " + gid);
                            out.print(RadosFormat.hexdump(payload));
                            out.flush();
                        }
                        return payload; // the stock watcher acks with what it was sent
                    });
                    out.println("press enter to exit...");
                    out.flush();
                    int ch;
                    do {
                        ch = System.in.read(); // until enter, or end of input, as the stock tool
                    } while (ch != '\n' && ch != -1);
                    io.unwatch(arg(pos, 1), cookie[0]);
                }
                case "put" -> io.writeFull(arg(pos, 1), input(arg(pos, 2)));
                case "get" -> {
                    try {
                        IoCtx.ObjectStat st = io.stat(arg(pos, 1));
                        byte[] data = io.read(arg(pos, 1), 0, (int) st.size());
                        if (arg(pos, 2).equals("-")) {
                            out.write(data);
                            out.flush();
                        } else {
                            Files.write(Path.of(arg(pos, 2)), data);
                        }
                    } catch (RadosException e) {
                        return fail(err, "error getting " + pool + "/" + arg(pos, 1), e);
                    }
                }
                case "rm" -> {
                    try {
                        io.remove(arg(pos, 1));
                    } catch (RadosException e) {
                        return fail(err, "error removing " + pool + ">" + arg(pos, 1), e);
                    }
                }
                case "stat" -> {
                    try {
                        IoCtx.ObjectStat st = io.stat(arg(pos, 1));
                        // librados' stat gives whole seconds (time_t), so the stock tool prints .000000
                        out.println(pool + "/" + arg(pos, 1) + " mtime "
                                + RadosFormat.isoTime(java.time.Instant.ofEpochSecond(st.mtime().seconds()))
                                + ", size " + st.size());
                    } catch (RadosException e) {
                        return fail(err, " error stat-ing " + pool + "/" + arg(pos, 1), e);
                    }
                }
                case "append" -> io.append(arg(pos, 1), input(arg(pos, 2)));
                case "truncate" -> io.truncate(arg(pos, 1), Long.parseLong(arg(pos, 2)));
                case "create" -> {
                    try {
                        io.create(arg(pos, 1), true);
                    } catch (RadosException e) {
                        return fail(err, "error creating " + pool + "/" + arg(pos, 1), e);
                    }
                }
                case "setxattr" -> io.setXattr(arg(pos, 1), arg(pos, 2),
                        pos.size() > 3 ? bytes(arg(pos, 3)) : System.in.readAllBytes()); // value or stdin

                case "getxattr" -> {
                    try {
                        out.write(io.getXattr(arg(pos, 1), arg(pos, 2)));
                    } catch (RadosException e) {
                        return fail(err, "error getting xattr " + pool + "/" + arg(pos, 1) + "/" + arg(pos, 2), e);
                    }
                }
                case "rmxattr" -> io.rmXattr(arg(pos, 1), arg(pos, 2));
                case "listxattr" -> io.getXattrs(arg(pos, 1)).keySet().forEach(out::println);
                case "setomapval" -> io.omapSetVals(arg(pos, 1), java.util.Map.of(arg(pos, 2),
                        pos.size() > 3 ? bytes(arg(pos, 3)) : System.in.readAllBytes())); // value or stdin
                case "getomapval" -> {
                    byte[] v = io.omapGetValsByKeys(arg(pos, 1), List.of(arg(pos, 2))).get(arg(pos, 2));
                    if (v == null) {
                        out.println("No such key: " + pool + "/" + arg(pos, 1) + "/" + arg(pos, 2)); // stdout, as rados
                        return 1;
                    }
                    if (pos.size() > 3) {
                        err.println("Writing to " + arg(pos, 3));
                        Files.write(Path.of(arg(pos, 3)), v);
                    } else {
                        out.print("value (" + v.length + " bytes) :\n" + RadosFormat.hexdump(v) + "\n");
                    }
                }
                case "listomapkeys" -> io.omapGetKeys(arg(pos, 1), "", Long.MAX_VALUE).forEach(out::println);
                case "listomapvals" -> io.omapGetVals(arg(pos, 1), "", "", Long.MAX_VALUE).forEach((k, v) ->
                        out.print(k + "\nvalue (" + v.length + " bytes) :\n" + RadosFormat.hexdump(v) + "\n"));
                case "rmomapkey" -> io.omapRmKeys(arg(pos, 1), List.of(arg(pos, 2)));
                case "getomapheader" -> {
                    byte[] h = io.omapGetHeader(arg(pos, 1));
                    if (pos.size() > 2) {
                        err.println("Writing to " + arg(pos, 2));
                        Files.write(Path.of(arg(pos, 2)), h);
                    } else {
                        out.print("header (" + h.length + " bytes) :\n" + RadosFormat.hexdump(h) + "\n");
                    }
                }
                case "setomapheader" -> io.omapSetHeader(arg(pos, 1), bytes(arg(pos, 2)));
                case "clearomap" -> io.omapClear(arg(pos, 1));
                case "bench" -> {
                    int seconds = Integer.parseInt(arg(pos, 1));
                    String mode = arg(pos, 2);
                    RadosBench bench = new RadosBench(io, out, err);
                    switch (mode) {
                        case "write" -> {
                            bench.write(seconds, size, threads, runName);
                            if (cleanup) {
                                long t0 = System.nanoTime();
                                out.println("Cleaning up (deleting benchmark objects)");
                                out.println("Removed " + bench.cleanup(runName) + " objects");
                                out.println("Clean up completed and total clean up time :"
                                        + (System.nanoTime() - t0) / 1e9);
                            }
                        }
                        case "seq", "rand" -> {
                            RadosBench.Metadata m = bench.metadata(runName);
                            if (m == null) {
                                err.println("Must write data before running a read benchmark!");
                                err.println("error during benchmark: (2) No such file or directory");
                                err.println("error 2: (2) No such file or directory");
                                return 1;
                            }
                            if (bench.read(mode, seconds, threads, m, noVerify) > 0) {
                                err.println("error during benchmark: (5) Input/output error");
                                err.println("error 5: (5) Input/output error");
                                return 1;
                            }
                        }
                        default -> throw new UsageException("unrecognized bench mode '" + mode + "'");
                    }
                }
                case "cleanup" -> {
                    RadosBench bench = new RadosBench(io, out, err);
                    long removed = prefix == null ? bench.cleanup(runName) : -1;
                    if (removed < 0) {
                        // no run recorded (or --prefix): every object under the prefix, as the stock tool's slow path
                        String p = prefix == null ? "benchmark_data" : prefix;
                        out.println("Warning: using slow linear search");
                        List<String> doomed = new ArrayList<>();
                        io.objects(io.namespace()).forEach(o -> {
                            if (o.oid().startsWith(p)) {
                                doomed.add(o.oid());
                            }
                        });
                        removed = bench.removeAll(doomed);
                    }
                    if (removed > 0) {
                        out.println("Removed " + removed + " objects");
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

    /** The stock tool's error line, "what: (errno) strerror", and exit status 1. */
    private static int fail(PrintStream err, String what, RadosException e) {
        err.println(what + ": (" + Math.abs(e.errno()) + ") " + RadosFormat.strerror(e.errno()));
        return 1;
    }

    /** An address in entity_addr_t's legacy form (ip:port/nonce, no type), as rados lock info dumps it. */
    private static String lockerAddr(org.jceph.encoding.types.EntityAddr a) {
        if (a.type() == org.jceph.encoding.types.EntityAddr.TYPE_NONE) {
            return "-";
        }
        String s = a.toString();
        return s.substring(s.indexOf(':') + 1);
    }

    /** rados df: one row per pool (or just -p's), then the cluster totals, as the stock table. */
    private static void df(RadosClient client, String only, PrintStream out) {
        List<String> pools = new java.util.ArrayList<>(client.listPools().values());
        if (only != null) {
            pools.retainAll(List.of(only));
        }
        java.util.Map<String, org.jceph.rados.PoolStat> stats = client.poolStats(pools);
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"POOL_NAME", "USED", "OBJECTS", "CLONES", "COPIES", "MISSING_ON_PRIMARY", "UNFOUND",
            "DEGRADED", "RD_OPS", "RD", "WR_OPS", "WR", "USED COMPR", "UNDER COMPR"});
        for (String p : pools) {
            org.jceph.rados.PoolStat s = stats.get(p);
            if (s == null) {
                continue;
            }
            rows.add(new String[] {p, RadosFormat.bytes(s.usedBytes()), "" + s.objects(), "" + s.clones(),
                "" + s.copies(), "" + s.missingOnPrimary(), "" + s.unfound(), "" + s.degraded(), "" + s.readOps(),
                RadosFormat.bytes(s.readKb() << 10), "" + s.writeOps(), RadosFormat.bytes(s.writeKb() << 10),
                RadosFormat.bytes(s.compressedAllocated()), RadosFormat.bytes(s.compressedOriginal())});
        }
        out.print(RadosFormat.table(rows));
        org.jceph.rados.ClusterStat t = client.clusterStat();
        out.println();
        out.printf("%-17s%d%n", "total_objects", t.numObjects());
        out.printf("%-17s%s%n", "total_used", RadosFormat.bytes(t.kbUsed() << 10));
        out.printf("%-17s%s%n", "total_avail", RadosFormat.bytes(t.kbAvail() << 10));
        out.printf("%-17s%s%n", "total_space", RadosFormat.bytes(t.kb() << 10));
    }

    /** A file's bytes, or standard input for "-", as rados put/append take them. */
    private static byte[] input(String file) throws IOException {
        return file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
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
