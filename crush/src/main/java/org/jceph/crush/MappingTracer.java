package org.jceph.crush;

/**
 * Receives each decision the mapper makes, for teaching and debugging ({@code crushtool --trace}).
 * Tracing is off (null) in normal mapping; every method has an empty default.
 */
public interface MappingTracer {
    /** A rule step begins. */
    default void step(int op, int arg1, int arg2) {
    }

    /** A choose step finished with {@code items[0..n)} as the working vector. */
    default void stepResult(int[] items, int n) {
    }

    /** One straw2 draw: u = hash &amp; 0xffff, ln = crush_ln(u) - 2^48, draw = ln / weight; u = -1 for weight 0. */
    default void straw2Draw(int bucket, int r, int item, int hashId, int u, long ln, int weight, long draw) {
    }

    /** {@code bucket} picked {@code item} for replica draw {@code r}. */
    default void chose(int bucket, int r, int item, String how) {
    }

    /** The search descends into bucket {@code bucket}. */
    default void descend(int bucket, int r) {
    }

    /** chooseleaf: a recursive search for a device under {@code bucket} with parent r. */
    default void leafSearch(int bucket, int parentR) {
    }

    /** A candidate was rejected. */
    default void reject(int bucket, int r, int item, String why) {
    }

    /** Failure counters after a rejection and what happens next. */
    default void retry(int ftotal, int flocal, boolean retryBucket, boolean retryDescent, boolean giveUp) {
    }

    /** {@code item} accepted into output position {@code position}. */
    default void accept(int item, int position) {
    }

    default void note(String text) {
    }

    /** The rule's final result. */
    default void result(int[] result, int n) {
    }
}
