package org.jceph.cli.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jceph.fixtures.cluster.CephCluster;

/** Runs {@code jceph rbd} in-process against a test cluster, capturing what it prints, for the rbd ITs. */
final class JcephRbd {
    private JcephRbd() {
    }

    /**
     * One run's exit status and output.
     *
     * @param rc the exit status
     * @param bytes standard output as bytes (export streams are binary)
     * @param err standard error
     */
    record Result(int rc, byte[] bytes, String err) {
        /** Standard output as UTF-8 text. */
        String out() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code jceph rbd -c CONF ARGS...} and returns whatever it did. */
    static Result runRc(CephCluster c, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = c.confPath().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int rc = RbdCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(rc, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code jceph rbd -c CONF ARGS...}, asserts exit status 0, and returns its stdout as text. */
    static String run(CephCluster c, String... args) {
        Result r = runRc(c, args);
        assertEquals(0, r.rc(), r.err());
        return r.out();
    }
}
