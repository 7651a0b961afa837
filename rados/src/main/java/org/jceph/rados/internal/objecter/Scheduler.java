package org.jceph.rados.internal.objecter;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jceph.rados.internal.Ticker;

/**
 * Time and delayed work for the Objecter: its clock and the tasks it runs later (retries, the
 * timeout tick, work moved off the I/O thread). Injected, so that a test runs every task by
 * moving a manual clock instead of sleeping; {@link #system} is the real one, one daemon thread.
 */
public interface Scheduler extends AutoCloseable {
    /**
     * The clock deadlines are read from.
     *
     * @return the ticker
     */
    Ticker ticker();

    /**
     * Runs {@code task} once after {@code delay} (zero: as soon as possible, never on the caller's
     * stack). A task offered after {@link #close()} is dropped.
     *
     * @param task the task
     * @param delay how long from now
     * @return a handle that cancels it
     */
    Cancellable schedule(Runnable task, Duration delay);

    /**
     * Runs {@code task} every {@code period}, the first time one period from now.
     *
     * @param task the task
     * @param period the period
     * @return a handle that stops it
     */
    Cancellable every(Runnable task, Duration period);

    /**
     * Runs {@code task} as soon as possible, off the caller's stack.
     *
     * @param task the task
     */
    default void execute(Runnable task) {
        schedule(task, Duration.ZERO);
    }

    /** Stops: no task runs after this returns (one running finishes). */
    @Override
    void close();

    /** A scheduled task's handle. */
    interface Cancellable {
        /** Cancels the task if it has not run yet (stops a periodic one). */
        void cancel();
    }

    /**
     * The real scheduler: the system clocks and one daemon thread.
     *
     * @param threadName the thread's name
     * @return a new scheduler; close it when done
     */
    static Scheduler system(String threadName) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Scheduler.class);
        // A task that throws must not pass silently: a periodic one (the timeout sweep) would never
        // run again, and a one-off one (a resend) would be lost without a trace.
        java.util.function.UnaryOperator<Runnable> guarded = task -> () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{}: a scheduled task failed; the scheduler goes on", threadName, e);
            }
        };
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        return new Scheduler() {
            @Override
            public Ticker ticker() {
                return Ticker.SYSTEM;
            }

            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                try {
                    java.util.concurrent.Future<?> f = delay.isZero() ? timer.submit(guarded.apply(task))
                            : timer.schedule(guarded.apply(task), delay.toNanos(), TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                } catch (RejectedExecutionException closed) {
                    return () -> { };
                }
            }

            @Override
            public Cancellable every(Runnable task, Duration period) {
                try {
                    java.util.concurrent.Future<?> f = timer.scheduleWithFixedDelay(guarded.apply(task), period.toNanos(), period.toNanos(),
                            TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                } catch (RejectedExecutionException closed) {
                    return () -> { };
                }
            }

            @Override
            public void close() {
                timer.shutdownNow();
            }

            @Override
            public String toString() {
                return "Scheduler.system(" + threadName + ")";
            }
        };
    }
}
