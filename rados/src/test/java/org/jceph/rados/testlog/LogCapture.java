package org.jceph.rados.testlog;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The rados module's test binding for SLF4J (found through META-INF/services): every event at
 * every level is kept in memory for tests to inspect ({@link #events()}), and INFO and above is
 * also printed to stderr, as slf4j-simple would. The newest {@link #MAX_EVENTS} are kept.
 */
public final class LogCapture implements SLF4JServiceProvider {
    /** One logged event, its message formatted. */
    public record Event(Level level, String logger, String message, Throwable thrown) {
        /** The event as one line of text, with the text of its exception chain. */
        public String text() {
            StringBuilder b = new StringBuilder(level + " " + logger + " " + message);
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                b.append(" | ").append(t);
            }
            return b.toString();
        }
    }

    static final int MAX_EVENTS = 200_000;
    private static final ArrayDeque<Event> EVENTS = new ArrayDeque<>();

    /** A copy of the events kept so far, oldest first. */
    public static List<Event> events() {
        synchronized (EVENTS) {
            return new ArrayList<>(EVENTS);
        }
    }

    /** Forgets the events kept so far. */
    public static void clear() {
        synchronized (EVENTS) {
            EVENTS.clear();
        }
    }

    static void record(Event e) {
        synchronized (EVENTS) {
            if (EVENTS.size() == MAX_EVENTS) {
                EVENTS.removeFirst();
            }
            EVENTS.addLast(e);
        }
        if (e.level().toInt() >= Level.INFO.toInt()) {
            System.err.println("[" + Thread.currentThread().getName() + "] " + e.text());
        }
    }

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, CapturingLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

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
    }

    /** Every level enabled: the tests see DEBUG and TRACE lines too (and scan them for secrets). */
    private static final class CapturingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        CapturingLogger(String name) {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                Throwable thrown) {
            record(new Event(level, name, MessageFormatter.basicArrayFormat(pattern, args), thrown));
        }
    }
}
