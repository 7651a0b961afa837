package org.jceph.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each code block of docs/LIBRARY.md that names its source is still that source's code, line for line. */
class GuideSnippetsTest {
    private static final Path ROOT = Path.of(System.getProperty("jceph.root", ".."));

    private static String normalized(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }

    @Test
    void theGuideQuotesTheExamples() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/LIBRARY.md"));
        Matcher m = Pattern.compile("(?s)<!-- from (\\S+) -->\\n```java\\n(.*?)```").matcher(guide);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            String source = normalized(Files.readString(ROOT.resolve(m.group(1))));
            String snippet = normalized(m.group(2));
            assertTrue(source.contains(snippet), "docs/LIBRARY.md quotes " + m.group(1) + " but it no longer has:\n"
                    + snippet);
        }
        long javaBlocks = guide.lines().filter(l -> l.equals("```java")).count();
        assertTrue(blocks >= 8, "found " + blocks + " quoted blocks");
        assertTrue(blocks == javaBlocks, "every java block names its source: " + blocks + " of " + javaBlocks);
        List.of("Connect", "ObjectsExample", "AsyncExample", "CompoundExample", "WatchNotifyExample", "RbdExample")
                .forEach(e -> assertTrue(guide.contains("examples/" + e + ".java"), e + " is quoted"));
    }
}
