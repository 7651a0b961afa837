package org.jceph.encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Records, field by field, what a codec writes or reads: every {@link CephEncoder} write and
 * {@link CephDecoder} read made on the calling thread while {@link #record} runs, with its offset,
 * width, wire type, nesting depth (inside versioned envelopes) and the codec method that made it.
 * The generated message reference (docs/protocol/messages.md) is such a recording of each message
 * codec, so a codec that changes what it puts on the wire changes the reference, and the test that
 * compares the committed reference with a fresh one fails.
 *
 * <p>Only the first buffer the codec touches is recorded (the message front); nested decoders over
 * other buffers (a blob decoded on its own) are not. A composite (string, blob, uuid, envelope
 * header) replaces the primitive steps it was made of.
 *
 * <p>Tracing exists only in a JVM started with {@code -Djceph.wiretrace=true} (the unit tests, and
 * the reference generator, which sets it before any codec class loads). Everywhere else
 * {@link #ENABLED} is a constant false and the hooks in the encoder and decoder compile away.
 */
public final class WireTrace {
    /** One field: offset in the recorded buffer, width, depth, wire type and the codec method. */
    public record Step(int offset, int width, int depth, String type, String site) {
    }

    /** {@code -Djceph.wiretrace=true}: whether this JVM can record at all. Read once, at class load. */
    public static final boolean ENABLED = Boolean.getBoolean("jceph.wiretrace");

    private static final Object LOCK = new Object();
    /**
     * How many {@link #record} calls are running, on any thread. A plain field: the thread that
     * records sees its own increment, and a stale value elsewhere only costs a ThreadLocal lookup
     * that finds nothing (or skips one that would have found nothing).
     */
    private static int recorders;
    private static final ThreadLocal<WireTrace> CURRENT = new ThreadLocal<>();
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final List<Step> steps = new ArrayList<>();
    private Object root;
    private int depth;

    private WireTrace() {
    }

    /**
     * The steps {@code body} makes through encoders and decoders on this thread.
     *
     * @throws IllegalStateException when the JVM was not started with {@code -Djceph.wiretrace=true}
     */
    public static List<Step> record(Runnable body) {
        if (!ENABLED) {
            throw new IllegalStateException("WireTrace is off in this JVM: start it with -Djceph.wiretrace=true");
        }
        WireTrace t = new WireTrace();
        WireTrace outer = CURRENT.get();
        CURRENT.set(t);
        synchronized (LOCK) {
            recorders++;
        }
        try {
            body.run();
        } finally {
            synchronized (LOCK) {
                recorders--;
            }
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
        return List.copyOf(t.steps);
    }

    static boolean on() {
        return ENABLED && recorders != 0;
    }

    /** A field of {@code end - start} bytes at {@code start} of {@code buffer}. */
    public static void note(Object buffer, int start, int end, String type) {
        if (!on()) {
            return;
        }
        WireTrace t = CURRENT.get();
        if (t != null) {
            t.add(buffer, start, end, type);
        }
    }

    /** An envelope header was recorded: later steps are nested one level deeper. */
    static void enter(Object buffer) {
        WireTrace t = on() ? CURRENT.get() : null;
        if (t != null && t.root == buffer) {
            t.depth++;
        }
    }

    static void exit(Object buffer) {
        WireTrace t = on() ? CURRENT.get() : null;
        if (t != null && t.root == buffer && t.depth > 0) {
            t.depth--;
        }
    }

    private void add(Object buffer, int start, int end, String type) {
        if (root == null) {
            root = buffer;
        } else if (root != buffer) {
            return;
        }
        // the steps of the calls this one was made of (a blob's length, a string's count)
        while (!steps.isEmpty()) {
            Step last = steps.get(steps.size() - 1);
            if (last.offset() >= start && last.offset() + last.width() <= end && last.depth() >= depth) {
                steps.remove(steps.size() - 1);
            } else {
                break;
            }
        }
        steps.add(new Step(start, end - start, depth, type, site()));
    }

    /** The nearest caller outside the encoding primitives: {@code OsdOpMessages.encode}. */
    private static String site() {
        return WALKER.walk(frames -> frames
                .filter(f -> !f.getClassName().equals(WireTrace.class.getName())
                        && !f.getClassName().equals(CephEncoder.class.getName())
                        && !f.getClassName().equals(CephDecoder.class.getName()))
                .findFirst()
                .map(f -> {
                    String c = f.getClassName();
                    c = c.substring(c.lastIndexOf('.') + 1);
                    String m = f.getMethodName();
                    if (m.startsWith("lambda$")) { // lambda$subscribe$0 -> subscribe
                        String[] p = m.split("\\$");
                        m = p.length > 1 ? p[1] : m;
                    }
                    return c + "." + m;
                })
                .orElse("?"));
    }

    /** The struct a versioned envelope belongs to, named after the class that encodes it. */
    static String structOwner() {
        String s = site();
        int dot = s.indexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
