package org.jceph.crush;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.fixtures.ProjectRoot;

/**
 * The crushtool fixtures under fixtures/src/main/resources/fixtures/crush/ and, for each expected
 * output, the crushtool arguments that produced it, read from fixtures/CRUSH-FIXTURES.md.
 */
final class CrushFixtures {
    private CrushFixtures() {
    }

    static Path dir() {
        return ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/crush");
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(String name) {
        try {
            return Files.readAllLines(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> binaryMaps() {
        try (var s = Files.list(dir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bin")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One captured {@code crushtool ... > file}: the output file and the arguments after "crushtool". */
    record Capture(String output, List<String> args) {
        String map() {
            return args.get(args.indexOf("-i") + 1);
        }

        @Override
        public String toString() {
            return output;
        }
    }

    private static final Pattern LINE = Pattern.compile("^- `([^`]+)`: `crushtool (.*) > \\1`$");

    static List<Capture> testCaptures() {
        List<Capture> out = new ArrayList<>();
        try {
            for (String l : Files.readAllLines(ProjectRoot.get().resolve("fixtures/CRUSH-FIXTURES.md"))) {
                Matcher m = LINE.matcher(l);
                if (m.matches() && m.group(1).endsWith(".test.txt")) {
                    out.add(new Capture(m.group(1), Arrays.asList(m.group(2).trim().split("\\s+"))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
