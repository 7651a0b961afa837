package org.jceph.osdmap;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.jceph.encoding.CephEncoder;
import org.jceph.fixtures.Corpus;
import org.jceph.fixtures.ProjectRoot;

/** Shared helpers: corpus access that fails loudly, fixture files, encoding to bytes. */
final class TestBytes {
    private TestBytes() {
    }

    static List<Corpus.Sample> corpus(String type) {
        if (Corpus.root().isEmpty()) {
            fail("the ceph-object-corpus is missing: expected it at " + Corpus.expectedLocation()
                    + " (or pass -Djceph.corpus=PATH)");
        }
        List<Corpus.Sample> s = Corpus.samples(type);
        if (s.isEmpty()) {
            fail("no " + type + " samples in " + Corpus.expectedLocation());
        }
        return s;
    }

    static byte[] encode(Consumer<CephEncoder> writer) {
        ByteBuf buf = Unpooled.buffer();
        writer.accept(new CephEncoder(buf));
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    static Path fixtureDir() {
        return ProjectRoot.get().resolve("fixtures/src/main/resources/fixtures/osdmap");
    }

    static byte[] fixture(String name) {
        try {
            return Files.readAllBytes(fixtureDir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The captured map whose name is {@code NN-<step>.e<epoch>.osdmap}. */
    static Path capturedMap(String step) {
        try (java.util.stream.Stream<Path> s = Files.list(fixtureDir())) {
            return s.filter(p -> p.getFileName().toString().matches("\\d\\d-" + java.util.regex.Pattern.quote(step)
                    + "\\.e\\d+\\.osdmap")).findFirst()
                    .orElseThrow(() -> new AssertionError("no captured map for step " + step + " in " + fixtureDir()
                            + " (run fixtures/capture/capture-osdmap.sh)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] capturedMapBytes(String step) {
        try {
            return Files.readAllBytes(capturedMap(step));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first offset where two arrays differ, with a little context, for failure messages. */
    static String firstDifference(byte[] want, byte[] got) {
        int n = Math.min(want.length, got.length);
        int i = 0;
        while (i < n && want[i] == got[i]) {
            i++;
        }
        int from = Math.max(0, i - 8);
        HexFormat h = HexFormat.of();
        return "lengths " + want.length + "/" + got.length + ", first difference at " + i + ": want "
                + h.formatHex(want, from, Math.min(want.length, i + 16)) + " got "
                + h.formatHex(got, from, Math.min(got.length, i + 16));
    }
}
