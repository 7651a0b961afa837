package org.jceph.cli.log;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The jceph command's SLF4J binding: slf4j-simple, set up only when something is to be printed.
 * {@link org.jceph.cli.Main} names it in the {@code slf4j.provider} system property, so SLF4J
 * loads it directly instead of scanning every jar of the class path for providers. slf4j-simple
 * builds its date formatter (which loads the locale data) as it starts; a short command that logs
 * nothing, the usual case, skips both (about a fifth of {@code jceph rados lspools}' start-up:
 * docs/BENCHMARKS.md, Session 10).
 *
 * <p>Levels come from the properties slf4j-simple reads, with its precedence (a system property,
 * then {@code simplelogger.properties}): {@code org.slf4j.simpleLogger.defaultLogLevel} and
 * {@code org.slf4j.simpleLogger.log.NAME} for a logger or its nearest parent. What is printed,
 * and how, is slf4j-simple's own doing.
 */
public final class LazySimpleProvider implements SLF4JServiceProvider {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private volatile ILoggerFactory factory;

    /** Public, without arguments: SLF4J instantiates it by name. */
    public LazySimpleProvider() {
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        factory = new Factory(fileProperties());
    }

    /** slf4j-simple's factory, set up on the first call (by the first enabled log call). */
    static ILoggerFactory backend() {
        return Backend.FACTORY;
    }

    /** Whether slf4j-simple has been set up (for the tests). */
    static volatile boolean backendStarted;

    private static final class Backend {
        static final ILoggerFactory FACTORY = create();

        private static ILoggerFactory create() {
            backendStarted = true;
            SimpleServiceProvider p = new SimpleServiceProvider();
            p.initialize();
            return p.getLoggerFactory();
        }
    }

    /** simplelogger.properties, found as slf4j-simple finds it. */
    private static Properties fileProperties() {
        Properties p = new Properties();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        try (InputStream in = cl != null ? cl.getResourceAsStream("simplelogger.properties")
                : ClassLoader.getSystemResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            // as slf4j-simple: an unreadable file is no file
        }
        return p;
    }

    private static final class Factory implements ILoggerFactory {
        private final Properties file;
        private final int defaultLevel;
        private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

        Factory(Properties file) {
            this.file = file;
            String d = property(PREFIX + "defaultLogLevel");
            this.defaultLevel = d == null ? LazySimpleLogger.INFO : level(d);
        }

        @Override
        public Logger getLogger(String name) {
            return loggers.computeIfAbsent(name, n -> new LazySimpleLogger(n, levelOf(n)));
        }

        /** slf4j-simple's rule: the setting of the name, else of its nearest dotted parent, else the default. */
        private int levelOf(String name) {
            String n = name;
            int dot = n.length();
            while (dot > -1) {
                n = n.substring(0, dot);
                String v = property(PREFIX + "log." + n);
                if (v != null) {
                    return level(v);
                }
                dot = n.lastIndexOf('.');
            }
            return defaultLevel;
        }

        private String property(String key) {
            String v = null;
            try {
                v = System.getProperty(key);
            } catch (SecurityException e) {
                // as slf4j-simple
            }
            return v != null ? v : file.getProperty(key);
        }

        /** slf4j-simple's names; anything else is INFO, as there. */
        static int level(String s) {
            if ("trace".equalsIgnoreCase(s)) {
                return LazySimpleLogger.TRACE;
            } else if ("debug".equalsIgnoreCase(s)) {
                return LazySimpleLogger.DEBUG;
            } else if ("info".equalsIgnoreCase(s)) {
                return LazySimpleLogger.INFO;
            } else if ("warn".equalsIgnoreCase(s)) {
                return LazySimpleLogger.WARN;
            } else if ("error".equalsIgnoreCase(s)) {
                return LazySimpleLogger.ERROR;
            } else if ("off".equalsIgnoreCase(s)) {
                return LazySimpleLogger.OFF;
            }
            return LazySimpleLogger.INFO;
        }
    }
}
