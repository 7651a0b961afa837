package org.jceph.cli.viz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium} package) for the picture tests: renders an SVG or
 * HTML file to PNG and reports console errors; for HTML, also dumps the DOM after the inline
 * script ran, so a test sees the page's title (our pages write JS errors into it) and the
 * data-ready mark the stepper sets. Fails, never skips, when Chromium is missing.
 */
public final class Browser {
    static final String INSTALL = "chromium is needed for the picture tests: apt-get install -y chromium";

    private Browser() {
    }

    /** Where a test's screenshots go: -Djceph.pictures=DIR (docs/pictures to refresh the committed ones) or target. */
    public static Path pictures() throws IOException {
        String dir = System.getProperty("jceph.pictures");
        Path p = dir != null ? Path.of(dir) : Path.of("target", "pictures");
        Files.createDirectories(p);
        return p;
    }

    private static String run(Path work, List<String> extra, Path page, int width, int height) throws Exception {
        return run(work, extra, page.toUri().toString(), width, height);
    }

    private static String run(Path work, List<String> extra, String url, int width, int height) throws Exception {
        Path page = Path.of(java.net.URI.create(url.replaceAll("#.*", "")));
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + work.resolve("profile"), "--enable-logging=stderr", "--v=0",
                "--window-size=" + width + "," + height));
        cmd.addAll(extra);
        cmd.add(url);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        } catch (IOException e) {
            fail(INSTALL + " (" + e.getMessage() + ")");
            throw e;
        }
        // read stderr on a thread, stdout here; both bounded by the wait below
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium timed out on " + page);
        }
        String log = new String(err.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        for (String line : log.split("\n")) {
            // page console messages are logged as CONSOLE(line); load failures as "Page load failed"
            assertFalse(line.contains(":CONSOLE(") || line.contains("Uncaught") || line.contains("Page load failed"),
                    "browser console: " + line);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Renders to {@code png}; returns the size in bytes. */
    public static long screenshot(Path page, Path png, int width, int height) throws Exception {
        Path work = Files.createTempDirectory("jceph-chromium");
        try {
            Files.deleteIfExists(png);
            run(work, List.of("--screenshot=" + png.toAbsolutePath()), page, width, height);
            assertTrue(Files.exists(png), "no screenshot from chromium for " + page);
            return Files.size(png);
        } finally {
            deleteTree(work);
        }
    }

    /** The DOM after scripts ran, the page opened with {@code #fragment}. */
    public static String dom(Path page, String fragment) throws Exception {
        Path work = Files.createTempDirectory("jceph-chromium");
        try {
            return run(work, List.of("--dump-dom"), page.toUri() + "#" + fragment, 1200, 900);
        } finally {
            deleteTree(work);
        }
    }

    /** The DOM after scripts ran. */
    static String dom(Path page) throws Exception {
        Path work = Files.createTempDirectory("jceph-chromium");
        try {
            return run(work, List.of("--dump-dom"), page, 1200, 900);
        } finally {
            deleteTree(work);
        }
    }

    /** Asserts the page's inline script ran without an error (see the pages' window.onerror). */
    public static void assertScriptRan(Path html, boolean expectStepper) throws Exception {
        String dom = dom(html);
        int a = dom.indexOf("<title>");
        int b = dom.indexOf("</title>");
        assertTrue(a >= 0 && b > a, "no title in the DOM of " + html);
        String title = dom.substring(a + 7, b);
        assertFalse(title.startsWith("JS ERROR"), "script error in " + html + ": " + title);
        if (expectStepper) {
            assertTrue(dom.contains("data-ready=\""), "stepper did not run in " + html);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // a profile file chromium still holds; the temp dir is cleaned by the OS
                }
            });
        }
    }
}
