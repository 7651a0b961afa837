package org.jceph.cli;

import java.util.List;
import org.jceph.messenger.config.CephConfig;

/** The configuration of a command that connects to a cluster, read as the stock tools read theirs. */
public final class CliConfig {
    private CliConfig() {
    }

    /**
     * The configuration from the environment and {@code cephArgs}, for a command that runs for a
     * moment (lspools, ls, info, ...). Unless the conf file, CEPH_ARGS or the command line set
     * {@code jceph_metrics_jmx}, the client's MXBean is not registered: nobody can attach to a
     * process that lives half a second, and the platform MBean server costs such a command about
     * a fifth of its run time (docs/BENCHMARKS.md, CLI start-up). Long-running commands (bench,
     * nbd serve) read the configuration with {@link CephConfig#fromEnvironment} and keep JMX.
     *
     * @param cephArgs Ceph's own options from the command line (-c, --id, --opt value, ...)
     * @return the configuration
     */
    public static CephConfig shortCommand(List<String> cephArgs) {
        String[] args = cephArgs.toArray(String[]::new);
        CephConfig config = CephConfig.fromEnvironment(args);
        if (config.get("jceph_metrics_jmx").isPresent()) {
            return config;
        }
        return CephConfig.builder().environment(System.getenv()).args(args).set("jceph_metrics_jmx", "false").build();
    }
}
