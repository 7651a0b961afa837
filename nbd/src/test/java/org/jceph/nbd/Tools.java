package org.jceph.nbd;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real NBD clients (qemu-img, qemu-io, nbdinfo, nbdcopy) with a timeout. */
final class Tools {
    static final String INSTALL = "apt-get install -y qemu-utils libnbd-bin";

    private Tools() {
    }

    record Result(int exit, String out) {
    }

    static void requireInstalled() {
        for (String t : new String[] {"qemu-img", "qemu-io", "nbdinfo", "nbdcopy"}) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                found |= Files.isExecutable(Path.of(dir, t));
            }
            if (!found) {
                fail(t + " is not installed; the NBD tests need the real clients: " + INSTALL);
            }
        }
    }

    static Result run(String... cmd) {
        try {
            Path out = Files.createTempFile("nbd-tool", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish within 60 s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            return new Result(p.exitValue(), text);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String ok(String... cmd) {
        Result r = run(cmd);
        if (r.exit() != 0) {
            fail(String.join(" ", cmd) + " exited " + r.exit() + ":\n" + r.out());
        }
        return r.out();
    }

    static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
