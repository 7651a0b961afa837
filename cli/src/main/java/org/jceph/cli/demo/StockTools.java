package org.jceph.cli.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the demo's oracles ({@code ceph}, {@code rados}, {@code rbd}) come from: the host's
 * {@code PATH}, or a release's chroot (built by {@code bin/jceph-chroot}) so that a reef or
 * tentacle cluster is cross-checked by its own release's tools. Inside the chroot, the cluster
 * directory and {@code /tmp} have the host's paths while a {@code bin/jceph-cluster} cluster runs.
 */
final class StockTools {
    private static final List<String> CHROOT_ENV =
            List.of("env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8");

    private final Path chroot;

    /** {@code chroot} null: the host's tools. */
    StockTools(Path chroot) {
        this.chroot = chroot;
    }

    /** Whether {@code tool} can be run. */
    boolean has(String tool) {
        if (chroot != null) {
            return Files.isExecutable(chroot.resolve("usr/bin").resolve(tool));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The command line running {@code tool args...}. */
    List<String> command(String tool, String... args) {
        List<String> argv = new ArrayList<>();
        if (chroot != null) {
            argv.add("chroot");
            argv.add(chroot.toString());
            argv.addAll(CHROOT_ENV);
        }
        argv.add(tool);
        argv.addAll(List.of(args));
        return argv;
    }

    /** "librados'" or "reef's librados'" style owner for messages. */
    String where() {
        return chroot == null ? "" : " (from " + chroot + ")";
    }
}
