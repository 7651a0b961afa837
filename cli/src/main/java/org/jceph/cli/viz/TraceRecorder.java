package org.jceph.cli.viz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jceph.crush.MappingTracer;

/** Keeps every decision the CRUSH mapper reports, in order, for drawing. */
public final class TraceRecorder implements MappingTracer {
    /** One recorded event; unused fields are 0. */
    public record Event(Kind kind, int bucket, int r, int item, int u, long ln, int weight, long draw, String text,
            int[] items) {
    }

    public enum Kind { STEP, DRAW, CHOSE, DESCEND, LEAF_SEARCH, REJECT, RETRY, ACCEPT, STEP_RESULT, NOTE, RESULT }

    private final List<Event> events = new ArrayList<>();

    public List<Event> events() {
        return events;
    }

    private void add(Kind k, int bucket, int r, int item, String text) {
        events.add(new Event(k, bucket, r, item, 0, 0, 0, 0, text, null));
    }

    @Override
    public void step(int op, int arg1, int arg2) {
        events.add(new Event(Kind.STEP, 0, 0, arg1, op, 0, arg2, 0, null, null));
    }

    @Override
    public void stepResult(int[] items, int n) {
        events.add(new Event(Kind.STEP_RESULT, 0, 0, 0, 0, 0, 0, 0, null, Arrays.copyOf(items, n)));
    }

    @Override
    public void straw2Draw(int bucket, int r, int item, int hashId, int u, long ln, int weight, long draw) {
        events.add(new Event(Kind.DRAW, bucket, r, item, u, ln, weight, draw, null, null));
    }

    @Override
    public void chose(int bucket, int r, int item, String how) {
        add(Kind.CHOSE, bucket, r, item, how);
    }

    @Override
    public void descend(int bucket, int r) {
        add(Kind.DESCEND, bucket, r, bucket, null);
    }

    @Override
    public void leafSearch(int bucket, int parentR) {
        add(Kind.LEAF_SEARCH, bucket, parentR, bucket, null);
    }

    @Override
    public void reject(int bucket, int r, int item, String why) {
        add(Kind.REJECT, bucket, r, item, why);
    }

    @Override
    public void retry(int ftotal, int flocal, boolean retryBucket, boolean retryDescent, boolean giveUp) {
        add(Kind.RETRY, ftotal, flocal, 0, retryBucket ? "retry in the same bucket"
                : retryDescent ? "retry from the top" : "give up on this replica");
    }

    @Override
    public void accept(int item, int position) {
        add(Kind.ACCEPT, 0, position, item, null);
    }

    @Override
    public void note(String text) {
        add(Kind.NOTE, 0, 0, 0, text);
    }

    @Override
    public void result(int[] result, int n) {
        events.add(new Event(Kind.RESULT, 0, 0, 0, 0, 0, 0, 0, null, Arrays.copyOf(result, n)));
    }
}
