package org.jceph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jceph.cli.rados.RadosCommand;
import org.jceph.cli.rbd.RbdCommand;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.CommandResult;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;

/**
 * The error paths of {@code jceph rbd} and {@code jceph rados} against the stock Pacific tools:
 * the same words on stderr and the same exit status, never a Java stack trace; and help that
 * prints without connecting.
 */
@RealCluster
class CliMannersIT {
    private record Run(int rc, String out, String err) {
    }

    private interface Tool {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    private static Run jceph(Tool tool, CephCluster c, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("-c", c.confPath().toString()));
        all.addAll(List.of(args));
        int rc = tool.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** stderr without the lines the stock tools add about config files (none with -c, but be exact about it). */
    static String errLines(String err) {
        return err.lines().filter(l -> !l.isBlank()).filter(l -> !l.contains("did not load config file"))
                .filter(l -> CommandResult.withoutCephLogLines(l).length() > 0)
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static void sameAsStock(CommandResult stock, Run ours) {
        assertEquals(errLines(stock.stderr()), errLines(ours.err()), "stderr, for " + stock.command());
        assertEquals(stock.exitCode(), ours.rc(), "exit status, for " + stock.command());
        assertFalse(ours.err().contains("Exception") || ours.err().contains("\tat "), "no stack trace: " + ours.err());
    }

    @Test
    void rbdErrorsReadAsTheStockToolsDo(CephCluster c) {
        String pool = c.testPool();
        String[][] cases = {
            {"ls", "no-such-pool"},
            {"ls", "-l", "no-such-pool"},
            {"ls"}, // the default pool 'rbd', which the test cluster does not have
            {"info", "no-such-pool/img"},
            {"info", pool + "/no-such-image"},
            {"snap", "ls", pool + "/no-such-image"},
            {"resize", "--size", "2M", pool + "/no-such-image"},
            {"rm", pool + "/no-such-image"},
            {"ls", "--bogus-option", pool},
            {"no-such-command"},
        };
        for (String[] args : cases) {
            sameAsStock(c.rbd(args), jceph(RbdCommand::run, c, args));
        }
    }

    @Test
    void radosErrorsReadAsTheStockToolsDo(CephCluster c) {
        String pool = c.testPool();
        c.radosOrThrow("-p", pool, "put", "manners", "/etc/hostname");
        String[][] cases = {
            {"-p", "no-such-pool", "ls"},
            {"-p", pool, "stat", "no-such-object"},
            {"-p", pool, "get", "no-such-object", "/dev/null"},
            {"-p", pool, "getxattr", "manners", "no-such-xattr"},
            {"-p", pool, "--bogus", "ls"},
            {"-p", pool, "no-such-command"},
            {},
        };
        for (String[] args : cases) {
            sameAsStock(c.rados(args), jceph(RadosCommand::run, c, args));
        }
    }

    @Test
    void helpPrintsWithoutConnecting(CephCluster c) {
        for (String[] args : new String[][] {{"--help"}, {"help"}, {}, {"ls", "--help"}}) {
            CommandResult stock = c.rbd(args);
            Run ours = runNoCluster(RbdCommand::run, args);
            assertEquals(stock.exitCode(), ours.rc(), "rbd " + String.join(" ", args));
            assertEquals(stock.stdout().lines().findFirst(), ours.out().lines().findFirst());
            assertEquals("", ours.err());
        }
        Run ls = runNoCluster(RbdCommand::run, "help", "ls");
        CommandResult stockLs = c.rbd("help", "ls");
        assertEquals(stockLs.exitCode(), ls.rc());
        assertTrue(ls.out().startsWith("usage: rbd ls [--long] [--pool <pool>]"), ls.out());
        assertTrue(stockLs.stdout().startsWith("usage: rbd ls [--long] [--pool <pool>]"), stockLs.stdout());
        assertTrue(runNoCluster(RbdCommand::run, "help", "snap", "ls").out().startsWith("usage: rbd snap list"));

        Run unknown = runNoCluster(RbdCommand::run, "help", "no-such");
        CommandResult stockUnknown = c.rbd("help", "no-such");
        assertEquals(stockUnknown.exitCode(), unknown.rc());
        assertEquals(errLines(stockUnknown.stderr()), errLines(unknown.err()));

        Run rados = runNoCluster(RadosCommand::run, "--help");
        CommandResult stockRados = c.rados("--help");
        assertEquals(stockRados.exitCode(), rados.rc());
        assertEquals(stockRados.stdout().lines().findFirst(), rados.out().lines().findFirst());
        assertTrue(rados.out().contains("   getxattr <obj-name> attr"), rados.out());

        // through the jceph command itself
        Run main = runNoCluster(Main::run, "rbd", "--help");
        assertEquals(0, main.rc());
        assertTrue(main.out().startsWith("usage: rbd <command> ..."), main.out());
    }

    /** Runs with a configuration that names no reachable cluster: a connect attempt would fail. */
    private static Run runNoCluster(Tool tool, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-c", "/nonexistent/ceph.conf"));
        int rc = tool.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
