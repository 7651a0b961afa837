package org.jceph.cli.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.cli.viz.Browser;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jceph decode --pcap FILE --format html}: each byte drawn carries the field the decoder read
 * it as; every msgr2 preamble is drawn as its 32 bytes, contiguous, from tag to preamble_crc;
 * fields follow each other without gaps or overlaps; the page renders in Chromium.
 */
class DecodeHtmlTest {
    private static final Path CAPTURES = ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/messenger");
    private static final Pattern BYTE = Pattern.compile(
            "<span class=\"b\" style=\"[^\"]*\" title=\"([^\"]*)\" data-field=\"([^\"]*)\" data-off=\"(\\d+)\">([0-9a-f]{2})</span>");
    private static final Pattern TIP = Pattern.compile("^([^:]*): .* \\([^,]*, (\\d+) bytes @([0-9a-f]{6})\\) = ");

    @TempDir
    Path dir;

    private String html(String capture) {
        Path out = dir.resolve(capture + ".html");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, DecodeCommand.run(new String[] {"--pcap", CAPTURES.resolve(capture).toString(), "--format", "html",
            "-o", out.toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        try {
            return Files.readString(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void msgr2PreamblesAreDrawnByteForByteWithTheirFieldNames() throws Exception {
        String page = html("pacific-16.2.15-cli-crc.pcap");
        Matcher m = BYTE.matcher(page);
        List<String[]> bytes = new ArrayList<>();
        while (m.find()) {
            bytes.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4)});
        }
        assertTrue(bytes.size() > 1000, "bytes drawn: " + bytes.size());
        int preambles = 0;
        for (int i = 0; i < bytes.size(); i++) {
            if (bytes.get(i)[0].startsWith("preamble: tag ")) {
                long off = Long.parseLong(bytes.get(i)[2]);
                int j = i;
                // the 32 preamble bytes, in order, from the tag to the crc
                for (int k = 0; k < 32; k++, j++) {
                    Matcher t = TIP.matcher(bytes.get(j)[0]);
                    assertTrue(t.find(), bytes.get(j)[0]);
                    assertEquals("preamble", t.group(1));
                    long fieldOff = Long.parseLong(t.group(3), 16);
                    assertTrue(off + k >= fieldOff && off + k < fieldOff + Integer.parseInt(t.group(2)),
                            "byte " + k + " of the preamble at " + off + " lies in its field " + bytes.get(j)[0]);
                }
                assertEquals("preamble_crc", bytes.get(j - 1)[1]);
                preambles++;
            }
        }
        assertTrue(preambles > 10, "preambles " + preambles);
        // the tag byte's hover names the frame type, e.g. the first client frame is HELLO (1)
        assertTrue(page.contains("preamble: tag (u8, 1 bytes @"), "tag hover");
        assertTrue(page.contains("segment 0 header"), "message header fields are drawn");
    }

    @Test
    void msgr1AndSecureCapturesRenderInChromium() throws Exception {
        Path out = Browser.pictures();
        for (String capture : List.of("pacific-16.2.15-cli-crc.pcap", "pacific-16.2.15-cli-v1.pcap",
                "pacific-16.2.15-cli-secure.pcap")) {
            String page = html(capture);
            assertTrue(page.length() < 3_000_000, capture + " " + page.length());
            assertTrue(page.contains("connection 1:"), capture);
            Path file = dir.resolve(capture + ".page.html");
            Files.writeString(file, page, StandardCharsets.UTF_8);
            Browser.assertScriptRan(file, true);
            if (capture.contains("crc")) {
                long size = Browser.screenshot(file, out.resolve("decode-msgr2-crc.png"), 900, 900);
                assertTrue(size > 20_000 && size < 300_000, "screenshot " + size);
            }
        }
    }
}
