package org.jceph.cli.crushtool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every crushtool output captured in fixtures/CRUSH-FIXTURES.md (--test with each reporting
 * option, -d, --tree, --dump), our command with the same arguments prints the same bytes.
 */
class CrushToolOracleTest {
    static Path dir() {
        return ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/crush");
    }

    record Capture(String output, List<String> args) {
        @Override
        public String toString() {
            return output + ": crushtool " + String.join(" ", args);
        }
    }

    private static final Pattern LINE = Pattern.compile("^- `([^`]+)`: `crushtool (.*) > \\1`$");

    static List<Capture> captures() throws IOException {
        List<Capture> out = new ArrayList<>();
        for (String l : Files.readAllLines(ProjectRoot.get().resolve("fixtures/CRUSH-FIXTURES.md"))) {
            Matcher m = LINE.matcher(l);
            if (m.matches()) {
                out.add(new Capture(m.group(1), Arrays.asList(m.group(2).trim().split("\\s+"))));
            }
        }
        return out;
    }

    static String run(List<String> args) {
        List<String> abs = new ArrayList<>(args);
        for (int i = 0; i + 1 < abs.size(); i++) {
            if (abs.get(i).equals("-i") || abs.get(i).equals("-d")) {
                abs.set(i + 1, dir().resolve(abs.get(i + 1)).toString());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CrushTool.run(abs.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, () -> "exit status; stderr: " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void provenanceListsCaptures() throws IOException {
        assertTrue(captures().size() > 40, "captures in CRUSH-FIXTURES.md: " + captures().size());
    }

    @ParameterizedTest
    @MethodSource("captures")
    void printsWhatCrushtoolPrinted(Capture c) throws IOException {
        String expected = Files.readString(dir().resolve(c.output()), StandardCharsets.UTF_8);
        assertFalse(expected.isEmpty(), c.output());
        String actual = run(c.args());
        if (!expected.equals(actual)) {
            String[] e = expected.split("\n", -1);
            String[] a = actual.split("\n", -1);
            for (int i = 0; i < Math.min(e.length, a.length); i++) {
                assertEquals(e[i], a[i], c + " line " + (i + 1));
            }
            assertEquals(e.length, a.length, c + " line count");
        }
    }

    @Test
    void traceNarratesStraw2DrawsAndEndsWithTheMapping() {
        String trace = run(List.of("-i", "straw2-3level.bin", "--test", "--trace", "--x", "7", "--rule", "0",
                "--num-rep", "3"));
        String mapping = run(List.of("-i", "straw2-3level.bin", "--test", "--show-mappings", "--x", "7", "--rule", "0",
                "--num-rep", "3"));
        String result = mapping.trim().substring(mapping.trim().lastIndexOf(' ') + 1);
        assertTrue(trace.contains("ln = crush_ln(u) - 2^48"), trace);
        assertTrue(trace.contains("ACCEPT"), trace);
        assertTrue(trace.trim().endsWith("result " + result), trace);
    }

    @Test
    void unknownOptionFails() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CrushTool.run(new String[] {"--bogus"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, rc);
    }
}
