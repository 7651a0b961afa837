package org.jceph.rados;

/**
 * The result of one step of a {@link ReadOperation} or {@link WriteOperation}, as librados fills a
 * step's output pointer and return value: available once the operation has completed.
 *
 * @param <T> the step's value type ({@link Void} for steps without one)
 */
public final class StepResult<T> {
    private final String step;
    private volatile boolean done;
    private volatile T value;
    private volatile int returnValue;
    private volatile RuntimeException failure;

    StepResult(String step) {
        this.step = step;
    }

    void complete(T v, int rval) {
        value = v;
        returnValue = rval;
        done = true;
    }

    void fail(RuntimeException e, int rval) {
        failure = e;
        returnValue = rval;
        done = true;
    }

    /**
     * Whether the operation has completed (successfully or not).
     *
     * @return true once it has
     */
    public boolean isDone() {
        return done;
    }

    /**
     * The step's value.
     *
     * @return the value (null for steps without one)
     * @throws IllegalStateException before the operation has completed
     * @throws RadosException the typed error of the step (a FAILOK step that failed) or of the
     *         whole operation
     */
    public T get() {
        if (!done) {
            throw new IllegalStateException("the operation of step '" + step + "' has not completed");
        }
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        return value;
    }

    /**
     * The step's return value from the OSD (0 or positive on success, a negative errno on failure).
     *
     * @return the return value
     * @throws IllegalStateException before the operation has completed
     */
    public int returnValue() {
        if (!done) {
            throw new IllegalStateException("the operation of step '" + step + "' has not completed");
        }
        return returnValue;
    }

    @Override
    public String toString() {
        return "StepResult[" + step + (done ? failure != null ? " failed: " + failure.getMessage() : " = " + value : " pending") + "]";
    }
}
