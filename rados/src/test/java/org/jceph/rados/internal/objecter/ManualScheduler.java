package org.jceph.rados.internal.objecter;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import org.jceph.rados.internal.Ticker;

/**
 * A {@link Scheduler} for unit tests: its clock moves only in {@link #advance}, and a task runs
 * only from {@link #runDue} or {@link #advance}, on the test's thread, in order of due time (then
 * of scheduling). No thread, no sleep.
 */
final class ManualScheduler implements Scheduler {
    private final Ticker.Manual ticker = Ticker.manual(Instant.parse("2026-12-06T12:00:00Z"));
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due != b.due
            ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long seq;
    private boolean closed;

    private static final class Task {
        long due;
        final long seq;
        final long period;
        final Runnable run;
        volatile boolean cancelled;

        Task(long due, long seq, long period, Runnable run) {
            this.due = due;
            this.seq = seq;
            this.period = period;
            this.run = run;
        }
    }

    @Override
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        return add(task, delay.toNanos(), 0);
    }

    @Override
    public synchronized Cancellable every(Runnable task, Duration period) {
        return add(task, period.toNanos(), period.toNanos());
    }

    private Cancellable add(Runnable r, long delay, long period) {
        if (closed) {
            return () -> { };
        }
        Task t = new Task(ticker.nanoTime() + delay, seq++, period, r);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    private synchronized Task nextDue(long limit) {
        while (!tasks.isEmpty() && tasks.peek().cancelled) {
            tasks.poll();
        }
        Task t = tasks.peek();
        if (t == null || t.due > limit) {
            return null;
        }
        tasks.poll();
        if (t.period > 0) {
            t.due += t.period;
            tasks.add(t);
        }
        return t;
    }

    /** Runs every task due now (and those they schedule for now), on this thread. */
    void runDue() {
        for (Task t; (t = nextDue(ticker.nanoTime())) != null; ) {
            t.run.run();
        }
    }

    /** Moves the clock by {@code d}, running each task at its due time on the way. */
    void advance(Duration d) {
        long target = ticker.nanoTime() + d.toNanos();
        for (Task t; (t = nextDue(target)) != null; ) {
            if (t.due - (t.period > 0 ? t.period : 0) > ticker.nanoTime()) {
                ticker.advance(Duration.ofNanos(t.due - (t.period > 0 ? t.period : 0) - ticker.nanoTime()));
            }
            t.run.run();
            runDue();
        }
        ticker.advance(Duration.ofNanos(target - ticker.nanoTime()));
        runDue();
    }

    /** Tasks waiting (not cancelled), for assertions. */
    synchronized int waiting() {
        return (int) tasks.stream().filter(t -> !t.cancelled).count();
    }

    @Override
    public synchronized void close() {
        closed = true;
        tasks.clear();
    }
}
