package org.jceph.cli.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jceph.encoding.packed.PackedField;
import org.jceph.encoding.packed.PackedLayout;
import org.jceph.fixtures.ProjectRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * docs/protocol is what CephStructs declares: the committed reference equals a fresh generation
 * (run with -Djceph.protocol.update=true to rewrite it after changing a struct), every byte of
 * every struct is drawn exactly once in its diagram, and a diagram renders in Chromium.
 */
class ProtocolReferenceTest {
    private static final Path DOCS = ProjectRoot.get().resolve("docs/protocol");
    static final MessageReference.Captures CAPTURES = ProtocolReference.capturesUnder(ProjectRoot.get());

    @TempDir
    Path dir;

    @Test
    void committedReferenceMatchesTheCode() throws Exception {
        if (Boolean.getBoolean("jceph.protocol.update")) {
            ProtocolReference.write(DOCS, CAPTURES);
        }
        Map<String, String> want = ProtocolReference.generate(CAPTURES);
        for (Map.Entry<String, String> e : want.entrySet()) {
            Path f = DOCS.resolve(e.getKey());
            assertTrue(Files.exists(f), f + " is missing: regenerate docs/protocol (see its README)");
            assertEquals(e.getValue(), Files.readString(f), f + " drifted from the code (CephStructs, the message codecs): regenerate docs/protocol "
                    + "(mvn ... -Dtest=ProtocolReferenceTest -Djceph.protocol.update=true)");
        }
        try (var s = Files.list(DOCS)) {
            Set<String> extra = s.map(p -> p.getFileName().toString()).filter(n -> !want.containsKey(n))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(), extra, "files in docs/protocol that no struct generates");
        }
    }

    @Test
    void everyByteOfEveryStructIsDrawnOnce() throws Exception {
        for (Map.Entry<String, PackedLayout> e : ProtocolReference.layouts().entrySet()) {
            PackedLayout l = e.getValue();
            int[] covered = new int[l.size()];
            Document d = ExplainPictureTest.parse(ProtocolReference.diagram(e.getKey(), l).toString());
            for (var g : ExplainPictureTest.groups(d, "field")) {
                int off = Integer.parseInt(g.getAttribute("data-offset"));
                int w = Integer.parseInt(g.getAttribute("data-width"));
                for (int i = off; i < off + w; i++) {
                    covered[i]++;
                }
            }
            for (int i = 0; i < covered.length; i++) {
                assertEquals(1, covered[i], e.getKey() + " byte " + i);
            }
            int sum = 0;
            for (PackedField f : l.leaves(Map.of())) {
                sum += f.width();
            }
            assertEquals(l.size(), sum, e.getKey());
        }
        assertTrue(ProtocolReference.layouts().containsKey("CEPH_MSG_HEADER2"));
        assertTrue(ProtocolReference.layouts().containsKey("MSGR2_PREAMBLE"));
        assertTrue(ProtocolReference.layouts().containsKey("MSGR2_EPILOGUE_CRC_REV1"));
    }

    @Test
    void aDiagramRendersInChromium() throws Exception {
        Path svg = dir.resolve("h.svg");
        Files.writeString(svg, ProtocolReference.diagram("CEPH_MSG_HEADER2",
                ProtocolReference.layouts().get("CEPH_MSG_HEADER2")).toString());
        long size = Browser.screenshot(svg, Browser.pictures().resolve("protocol-ceph-msg-header2.png"), 800, 230);
        assertTrue(size > 5_000 && size < 300_000, "screenshot " + size);
    }
}
