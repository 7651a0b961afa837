package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jceph.fixtures.cluster.CrossRelease;
import org.jceph.fixtures.cluster.RealCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Xattrs, omap, class calls and the remaining data ops, cross-checked with the rados CLI both ways. */
@RealCluster
@CrossRelease
class RadosAttrsOmapExecIT extends LiveIoCtxIT {
    @TempDir
    Path tmp;

    @Test
    void xattrsCrossBothWays() {
        io.writeFull("x1", b("data"));
        io.setXattr("x1", "ours", b("from jceph"));
        assertEquals("from jceph", c.radosOrThrow("-p", pool, "getxattr", "x1", "ours").trim());
        c.radosOrThrow("-p", pool, "setxattr", "x1", "theirs", "from librados");
        assertArrayEquals(b("from librados"), io.getXattr("x1", "theirs"));
        Map<String, byte[]> all = io.getXattrs("x1");
        assertTrue(all.containsKey("ours") && all.containsKey("theirs"), all.keySet().toString());
        assertTrue(io.cmpXattr("x1", "ours", 1, b("from jceph")));
        assertFalse(io.cmpXattr("x1", "ours", 1, b("something else")));
        io.rmXattr("x1", "ours");
        assertFalse(c.radosOrThrow("-p", pool, "listxattr", "x1").contains("ours"));
        RadosException e = assertThrows(RadosException.class, () -> io.getXattr("x1", "ours"));
        assertEquals(-61, e.errno(), "ENODATA for a missing xattr");
    }

    @Test
    void omapCrossesBothWaysWithPrefixAndPaging() throws IOException {
        io.omapSetVals("o1", Map.of("alpha", b("1"), "beta", b("2"), "gamma", b("3")));
        Path v = tmp.resolve("v");
        c.radosOrThrow("-p", pool, "getomapval", "o1", "beta", v.toString());
        assertArrayEquals(b("2"), Files.readAllBytes(v));
        c.radosOrThrow("-p", pool, "setomapval", "o1", "delta", "4");
        assertEquals(List.of("alpha", "beta", "delta", "gamma"), List.copyOf(io.omapGetKeys("o1", "", 100)));
        assertEquals(List.of("delta", "gamma"), List.copyOf(io.omapGetKeys("o1", "beta", 100)));
        assertEquals(List.of("alpha", "beta"), List.copyOf(io.omapGetKeys("o1", "", 2)));
        assertEquals(List.of("gamma"), List.copyOf(io.omapGetVals("o1", "", "g", 100).keySet()));
        assertArrayEquals(b("4"), io.omapGetValsByKeys("o1", List.of("delta", "missing")).get("delta"));
        io.omapSetHeader("o1", b("header bytes"));
        Path h = tmp.resolve("h");
        c.radosOrThrow("-p", pool, "getomapheader", "o1", h.toString());
        assertArrayEquals(b("header bytes"), Files.readAllBytes(h));
        assertArrayEquals(b("header bytes"), io.omapGetHeader("o1"));
        io.omapRmKeys("o1", List.of("alpha", "delta"));
        assertEquals("beta\ngamma", c.radosOrThrow("-p", pool, "listomapkeys", "o1").trim());
        io.omapClear("o1");
        assertEquals("", c.radosOrThrow("-p", pool, "listomapkeys", "o1").trim());
    }

    @Test
    void classMethodsRunOnTheOsd() {
        io.create("hello-target", false);
        assertEquals("Hello, jceph!", new String(io.exec("hello-target", "hello", "say_hello", b("jceph")),
                StandardCharsets.UTF_8));
        RadosException e = assertThrows(RadosException.class, () -> io.exec("hello-target", "nope", "nothing", new byte[0]));
        assertEquals(-1, e.errno(), "the OSD answers EPERM for a class it does not load");
    }

    @Test
    void appendTruncateZeroAndExclusiveCreate() throws IOException {
        io.writeFull("d1", b("0123456789"));
        io.append("d1", b("abc"));
        io.zero("d1", 2, 3);
        io.truncate("d1", 11);
        Path got = tmp.resolve("d1");
        c.radosOrThrow("-p", pool, "get", "d1", got.toString());
        assertArrayEquals(b("01" + "\u0000\u0000\u0000" + "56789a"), Files.readAllBytes(got));
        assertEquals(11, io.stat("d1").size());
        assertThrows(RadosException.ObjectExistsException.class, () -> io.create("d1", true));
        io.create("d1", false);
        io.create("fresh", true);
        assertEquals(0, io.stat("fresh").size());
    }
}
