package org.jceph.cli.log;

import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A logger of {@link LazySimpleProvider}: answers the level checks itself, from the same
 * properties slf4j-simple reads, and hands every enabled call, unchanged, to the slf4j-simple
 * logger of the same name, which is created (with slf4j-simple's set-up) on the first such call.
 * A command that logs nothing never sets slf4j-simple up; one that does prints exactly what
 * slf4j-simple prints.
 */
final class LazySimpleLogger implements Logger {
    // slf4j-simple's level numbers (LocationAwareLogger's), OFF above ERROR
    static final int TRACE = 0;
    static final int DEBUG = 10;
    static final int INFO = 20;
    static final int WARN = 30;
    static final int ERROR = 40;
    static final int OFF = 50;

    private final String name;
    private final int level;
    private volatile Logger real;

    LazySimpleLogger(String name, int level) {
        this.name = name;
        this.level = level;
    }

    private Logger real() {
        Logger r = real;
        if (r == null) {
            r = LazySimpleProvider.backend().getLogger(name);
            real = r;
        }
        return r;
    }

    @Override
    public String getName() {
        return name;
    }

    /** Only reached for an enabled level (Logger.atLevel checks first): slf4j-simple builds the event. */
    @Override
    public LoggingEventBuilder makeLoggingEventBuilder(Level lvl) {
        return real().makeLoggingEventBuilder(lvl);
    }

    @Override
    public boolean isTraceEnabled() {
        return level <= TRACE;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return level <= TRACE;
    }

    @Override
    public void trace(String msg) {
        if (level <= TRACE) {
            real().trace(msg);
        }
    }

    @Override
    public void trace(String format, Object arg) {
        if (level <= TRACE) {
            real().trace(format, arg);
        }
    }

    @Override
    public void trace(String format, Object arg1, Object arg2) {
        if (level <= TRACE) {
            real().trace(format, arg1, arg2);
        }
    }

    @Override
    public void trace(String format, Object... arguments) {
        if (level <= TRACE) {
            real().trace(format, arguments);
        }
    }

    @Override
    public void trace(String msg, Throwable t) {
        if (level <= TRACE) {
            real().trace(msg, t);
        }
    }

    @Override
    public void trace(Marker marker, String msg) {
        if (level <= TRACE) {
            real().trace(marker, msg);
        }
    }

    @Override
    public void trace(Marker marker, String format, Object arg) {
        if (level <= TRACE) {
            real().trace(marker, format, arg);
        }
    }

    @Override
    public void trace(Marker marker, String format, Object arg1, Object arg2) {
        if (level <= TRACE) {
            real().trace(marker, format, arg1, arg2);
        }
    }

    @Override
    public void trace(Marker marker, String format, Object... arguments) {
        if (level <= TRACE) {
            real().trace(marker, format, arguments);
        }
    }

    @Override
    public void trace(Marker marker, String msg, Throwable t) {
        if (level <= TRACE) {
            real().trace(marker, msg, t);
        }
    }

    @Override
    public boolean isDebugEnabled() {
        return level <= DEBUG;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return level <= DEBUG;
    }

    @Override
    public void debug(String msg) {
        if (level <= DEBUG) {
            real().debug(msg);
        }
    }

    @Override
    public void debug(String format, Object arg) {
        if (level <= DEBUG) {
            real().debug(format, arg);
        }
    }

    @Override
    public void debug(String format, Object arg1, Object arg2) {
        if (level <= DEBUG) {
            real().debug(format, arg1, arg2);
        }
    }

    @Override
    public void debug(String format, Object... arguments) {
        if (level <= DEBUG) {
            real().debug(format, arguments);
        }
    }

    @Override
    public void debug(String msg, Throwable t) {
        if (level <= DEBUG) {
            real().debug(msg, t);
        }
    }

    @Override
    public void debug(Marker marker, String msg) {
        if (level <= DEBUG) {
            real().debug(marker, msg);
        }
    }

    @Override
    public void debug(Marker marker, String format, Object arg) {
        if (level <= DEBUG) {
            real().debug(marker, format, arg);
        }
    }

    @Override
    public void debug(Marker marker, String format, Object arg1, Object arg2) {
        if (level <= DEBUG) {
            real().debug(marker, format, arg1, arg2);
        }
    }

    @Override
    public void debug(Marker marker, String format, Object... arguments) {
        if (level <= DEBUG) {
            real().debug(marker, format, arguments);
        }
    }

    @Override
    public void debug(Marker marker, String msg, Throwable t) {
        if (level <= DEBUG) {
            real().debug(marker, msg, t);
        }
    }

    @Override
    public boolean isInfoEnabled() {
        return level <= INFO;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return level <= INFO;
    }

    @Override
    public void info(String msg) {
        if (level <= INFO) {
            real().info(msg);
        }
    }

    @Override
    public void info(String format, Object arg) {
        if (level <= INFO) {
            real().info(format, arg);
        }
    }

    @Override
    public void info(String format, Object arg1, Object arg2) {
        if (level <= INFO) {
            real().info(format, arg1, arg2);
        }
    }

    @Override
    public void info(String format, Object... arguments) {
        if (level <= INFO) {
            real().info(format, arguments);
        }
    }

    @Override
    public void info(String msg, Throwable t) {
        if (level <= INFO) {
            real().info(msg, t);
        }
    }

    @Override
    public void info(Marker marker, String msg) {
        if (level <= INFO) {
            real().info(marker, msg);
        }
    }

    @Override
    public void info(Marker marker, String format, Object arg) {
        if (level <= INFO) {
            real().info(marker, format, arg);
        }
    }

    @Override
    public void info(Marker marker, String format, Object arg1, Object arg2) {
        if (level <= INFO) {
            real().info(marker, format, arg1, arg2);
        }
    }

    @Override
    public void info(Marker marker, String format, Object... arguments) {
        if (level <= INFO) {
            real().info(marker, format, arguments);
        }
    }

    @Override
    public void info(Marker marker, String msg, Throwable t) {
        if (level <= INFO) {
            real().info(marker, msg, t);
        }
    }

    @Override
    public boolean isWarnEnabled() {
        return level <= WARN;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return level <= WARN;
    }

    @Override
    public void warn(String msg) {
        if (level <= WARN) {
            real().warn(msg);
        }
    }

    @Override
    public void warn(String format, Object arg) {
        if (level <= WARN) {
            real().warn(format, arg);
        }
    }

    @Override
    public void warn(String format, Object arg1, Object arg2) {
        if (level <= WARN) {
            real().warn(format, arg1, arg2);
        }
    }

    @Override
    public void warn(String format, Object... arguments) {
        if (level <= WARN) {
            real().warn(format, arguments);
        }
    }

    @Override
    public void warn(String msg, Throwable t) {
        if (level <= WARN) {
            real().warn(msg, t);
        }
    }

    @Override
    public void warn(Marker marker, String msg) {
        if (level <= WARN) {
            real().warn(marker, msg);
        }
    }

    @Override
    public void warn(Marker marker, String format, Object arg) {
        if (level <= WARN) {
            real().warn(marker, format, arg);
        }
    }

    @Override
    public void warn(Marker marker, String format, Object arg1, Object arg2) {
        if (level <= WARN) {
            real().warn(marker, format, arg1, arg2);
        }
    }

    @Override
    public void warn(Marker marker, String format, Object... arguments) {
        if (level <= WARN) {
            real().warn(marker, format, arguments);
        }
    }

    @Override
    public void warn(Marker marker, String msg, Throwable t) {
        if (level <= WARN) {
            real().warn(marker, msg, t);
        }
    }

    @Override
    public boolean isErrorEnabled() {
        return level <= ERROR;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return level <= ERROR;
    }

    @Override
    public void error(String msg) {
        if (level <= ERROR) {
            real().error(msg);
        }
    }

    @Override
    public void error(String format, Object arg) {
        if (level <= ERROR) {
            real().error(format, arg);
        }
    }

    @Override
    public void error(String format, Object arg1, Object arg2) {
        if (level <= ERROR) {
            real().error(format, arg1, arg2);
        }
    }

    @Override
    public void error(String format, Object... arguments) {
        if (level <= ERROR) {
            real().error(format, arguments);
        }
    }

    @Override
    public void error(String msg, Throwable t) {
        if (level <= ERROR) {
            real().error(msg, t);
        }
    }

    @Override
    public void error(Marker marker, String msg) {
        if (level <= ERROR) {
            real().error(marker, msg);
        }
    }

    @Override
    public void error(Marker marker, String format, Object arg) {
        if (level <= ERROR) {
            real().error(marker, format, arg);
        }
    }

    @Override
    public void error(Marker marker, String format, Object arg1, Object arg2) {
        if (level <= ERROR) {
            real().error(marker, format, arg1, arg2);
        }
    }

    @Override
    public void error(Marker marker, String format, Object... arguments) {
        if (level <= ERROR) {
            real().error(marker, format, arguments);
        }
    }

    @Override
    public void error(Marker marker, String msg, Throwable t) {
        if (level <= ERROR) {
            real().error(marker, msg, t);
        }
    }
}
