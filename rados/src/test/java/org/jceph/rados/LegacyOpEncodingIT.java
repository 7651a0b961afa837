package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jceph.fixtures.cluster.CephCluster;
import org.jceph.fixtures.cluster.RealCluster;
import org.jceph.messenger.config.CephConfig;
import org.junit.jupiter.api.Test;

/**
 * What a Pacific OSD does with the packed 2010 MOSDOp (header version 1, ceph_osd_request_head):
 * it still decodes it (the op, the object, the flags are all logged correctly), but files it under
 * the unfolded raw placement group, finds no such pg, and drops it without a reply. The write is
 * neither executed nor rejected; the client times out. docs/LEGACY-MOSDOP.md tells the story.
 */
@RealCluster(config = {"debug osd = 20"})
class LegacyOpEncodingIT {
    @Test
    void aPacificOsdDecodesThePacked2010RequestThenDropsItUnanswered(CephCluster c) throws IOException {
        try (RadosClient client = RadosClient.connect(CephConfig.builder().confFile(c.confPath())
                .set("rados_osd_op_timeout", "8").build())) {
            IoCtx io = client.ioCtx(c.testPool());
            client.useLegacyOpEncoding(true);
            RadosException e = assertThrows(RadosException.class,
                    () -> io.writeFull("legacy-1", "written in 2010's encoding".getBytes(StandardCharsets.UTF_8)));
            assertEquals(-110, e.errno(), "no reply at all: " + e.getMessage());
            assertFalse(c.rados("-p", c.testPool(), "stat", "legacy-1").ok(), "the write was not executed");

            client.useLegacyOpEncoding(false);
            io.writeFull("legacy-1", "v8".getBytes(StandardCharsets.UTF_8)); // the same client, v8: fine

            List<String> decoded = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            for (Path log : Files.list(c.logDir()).filter(p -> p.getFileName().toString().startsWith("osd.")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains("legacy-1:head [writefull 0~26") && line.contains(") v1")) {
                        decoded.add(line);
                        // "no pg, shouldn't exist ... dropping", or, when the OSD was still an epoch
                        // behind, "waiting item ... misdirected, dropping" once it catches up, or
                        // "... stale, dropping" when it caught up by more than one epoch (the OSD
                        // words the same drop by whether the op's epoch is below its newest)
                        if ((line.contains("no pg, shouldn't exist") || line.contains("misdirected")
                                || line.contains(", stale, dropping")) && line.contains("dropping")) {
                            dropped.add(line);
                        }
                    }
                }
            }
            assertTrue(!decoded.isEmpty(), "the OSD logged the decoded v1 op");
            assertTrue(!dropped.isEmpty(), "the OSD dropped it: " + decoded);
        }
    }
}
