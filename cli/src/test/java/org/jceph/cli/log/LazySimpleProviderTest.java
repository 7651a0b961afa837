package org.jceph.cli.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleServiceProvider;
import org.junit.jupiter.api.Test;

/**
 * The jceph command's lazy SLF4J binding: slf4j-simple's levels from slf4j-simple's properties
 * (cli's simplelogger.properties is on the test class path), nothing set up until a line is to
 * be printed, and then exactly slf4j-simple's line.
 */
class LazySimpleProviderTest {
    private static ILoggerFactory lazy() {
        LazySimpleProvider p = new LazySimpleProvider();
        p.initialize();
        return p.getLoggerFactory();
    }

    @Test
    void levelsAreSlf4jSimplesFromTheSameProperties() {
        ILoggerFactory f = lazy();
        Logger rados = f.getLogger("org.jceph.rados.RadosClient");
        assertTrue(rados.isWarnEnabled());
        assertFalse(rados.isInfoEnabled(), "defaultLogLevel=warn in simplelogger.properties");
        // log.org.jceph.nbd=info applies to the name and its dotted children only
        assertTrue(f.getLogger("org.jceph.nbd").isInfoEnabled());
        assertTrue(f.getLogger("org.jceph.nbd.NbdServer").isInfoEnabled());
        assertFalse(f.getLogger("org.jceph.nbdx.Other").isInfoEnabled());
        assertFalse(f.getLogger("org.jceph.nbd.NbdServer").isDebugEnabled());
        // a system property beats the file, as in slf4j-simple
        String key = "org.slf4j.simpleLogger.log.org.jceph.lazytest";
        System.setProperty(key, "debug");
        try {
            ILoggerFactory g = lazy();
            assertTrue(g.getLogger("org.jceph.lazytest.A").isDebugEnabled());
            assertFalse(g.getLogger("org.jceph.lazytest.A").isTraceEnabled());
            System.setProperty(key, "off");
            assertFalse(lazy().getLogger("org.jceph.lazytest.A").isErrorEnabled());
            System.setProperty(key, "nonsense");
            Logger l = lazy().getLogger("org.jceph.lazytest.A");
            assertTrue(l.isInfoEnabled() && !l.isDebugEnabled(), "an unknown level is INFO, as in slf4j-simple");
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void slf4jSimpleStartsOnTheFirstPrintedLineAndPrintsIt() {
        ILoggerFactory f = lazy();
        Logger l = f.getLogger("org.jceph.lazytest.Printer");
        PrintStream saved = System.err;
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(ours, true, StandardCharsets.UTF_8));
            l.info("not printed {}", 1);
            l.debug("not printed {} {}", 1, 2);
            assertFalse(LazySimpleProvider.backendStarted, "nothing printed yet: slf4j-simple is not set up");
            assertEquals("", ours.toString(StandardCharsets.UTF_8));
            IllegalStateException boom = new IllegalStateException("boom");
            l.warn("epoch {} from {}", 42, "mon.a");
            l.warn("with a cause", boom);
            assertTrue(LazySimpleProvider.backendStarted);

            SimpleServiceProvider simple = new SimpleServiceProvider();
            simple.initialize();
            Logger s = simple.getLoggerFactory().getLogger("org.jceph.lazytest.Printer");
            System.setErr(new PrintStream(theirs, true, StandardCharsets.UTF_8));
            s.warn("epoch {} from {}", 42, "mon.a");
            s.warn("with a cause", boom);
        } finally {
            System.setErr(saved);
        }
        String a = ours.toString(StandardCharsets.UTF_8);
        String b = theirs.toString(StandardCharsets.UTF_8);
        String date = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} ";
        assertTrue(a.lines().findFirst().orElse("")
                .matches(date + "WARN org\\.jceph\\.lazytest\\.Printer - epoch 42 from mon\\.a"), a);
        assertEquals(b.replaceAll(date, "DATE "), a.replaceAll(date, "DATE "), "the lines slf4j-simple prints");
        assertTrue(a.contains("java.lang.IllegalStateException: boom"), a);
    }
}
