package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * jackson-databind is an optional dependency: the client's classes load and initialise without it
 * on the class path, and only parsing a command's JSON output needs it. Monitor commands are
 * encoded without it.
 */
class JacksonOptionalTest {
    @Test
    void theClientLoadsWithoutJacksonAndOnlyParsingNeedsIt() throws Exception {
        List<URL> urls = new ArrayList<>();
        int dropped = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("jackson")) {
                dropped++;
                continue;
            }
            urls.add(new File(entry).toURI().toURL());
        }
        assertTrue(dropped > 0, "the test class path has Jackson, so leaving it out means something");
        try (URLClassLoader noJackson = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            for (String name : List.of("org.jceph.rados.RadosClient", "org.jceph.rados.IoCtx",
                    "org.jceph.rados.MonCommandJson", "org.jceph.rados.RadosException")) {
                Class.forName(name, true, noJackson);
            }
            Class<?> probe = Class.forName("org.jceph.rados.JacksonFreeProbe", true, noJackson);
            assertEquals("{\"prefix\":\"df\"}", probe.getMethod("encode").invoke(null));
            Method parse = probe.getMethod("parse");
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> parse.invoke(null));
            assertTrue(e.getCause() instanceof NoClassDefFoundError, String.valueOf(e.getCause()));
        }
    }

    @Test
    void commandsAreEncodedAsJson() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("prefix", "osd pool create");
        args.put("pool", "a\"b\\c\n");
        args.put("pg_num", 8);
        args.put("yes", true);
        args.put("ids", List.of(1L, 2L));
        args.put("ratio", 0.5);
        args.put("none", null);
        assertEquals("{\"prefix\":\"osd pool create\",\"pool\":\"a\\\"b\\\\c\\n\",\"pg_num\":8,\"yes\":true,"
                + "\"ids\":[1,2],\"ratio\":0.5,\"none\":null}", MonCommandJson.encode(args));
        assertThrows(IllegalArgumentException.class, () -> MonCommandJson.encode(Map.of("x", new Object())));
        assertEquals("{\"c\":\"\\u0001\"}", MonCommandJson.encode(Map.of("c", "\u0001")));
    }
}
