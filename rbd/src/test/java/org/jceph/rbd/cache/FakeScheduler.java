package org.jceph.rbd.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** A manual clock: timers fire when the test advances it; the executor runs tasks in the caller. */
final class FakeScheduler implements WritebackCache.Scheduler {
    private long now = 1_000_000_000L;
    private final List<Task> tasks = new ArrayList<>();

    private static final class Task {
        final long at;
        final Runnable r;
        boolean cancelled;

        Task(long at, Runnable r) {
            this.at = at;
            this.r = r;
        }
    }

    @Override
    public synchronized WritebackCache.Timer schedule(Runnable task, long delayNanos) {
        Task t = new Task(now + Math.max(0, delayNanos), task);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public Executor executor() {
        return Runnable::run;
    }

    /** Moves the clock on and runs the timers now due, in time order. */
    void advance(long nanos) {
        synchronized (this) {
            now += nanos;
        }
        while (true) {
            Task due = null;
            synchronized (this) {
                for (Task t : tasks) {
                    if (!t.cancelled && t.at <= now && (due == null || t.at < due.at)) {
                        due = t;
                    }
                }
                if (due == null) {
                    tasks.removeIf(t -> t.cancelled);
                    return;
                }
                tasks.remove(due);
            }
            due.r.run();
        }
    }

    synchronized int pendingTimers() {
        return (int) tasks.stream().filter(t -> !t.cancelled).count();
    }
}
