package org.jceph.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The deep copy-up's logic without a cluster: the per-object guard (one copy per object at a
 * time, as librbd's copyup_list) and where a copy cut short resumes (from the object's snap set
 * seq), for destination snapshots 4 (s1) and 6 (s2) mapped from the source and HEAD: the
 * stages are written under snapshot contexts 0, 4 and 6.
 */
class DeepCopyupTest {
    private static final long[] CONTEXTS = {0, 4, 6};

    @Test
    void aCopyStartsFromTheFirstStageWhenThereIsNoObject() {
        assertEquals(0, MigrationObjectCopier.firstStageLeft(CONTEXTS, null));
    }

    @Test
    void aCopyCutShortResumesAfterTheLastStageWritten() {
        // s1's stage written (seq 0): s2's and HEAD's are left; s2's written (seq 4): HEAD's is left
        assertEquals(1, MigrationObjectCopier.firstStageLeft(CONTEXTS, 0L));
        assertEquals(2, MigrationObjectCopier.firstStageLeft(CONTEXTS, 4L));
    }

    @Test
    void aFinishedOrWrittenObjectGetsNothing() {
        // HEAD's stage written (seq 6), or a write since under the image's context (seq 6 or later)
        assertEquals(3, MigrationObjectCopier.firstStageLeft(CONTEXTS, 6L));
        assertEquals(3, MigrationObjectCopier.firstStageLeft(CONTEXTS, 9L));
        // a snapshot id past 2^63 is still newer (unsigned, as the OSD compares)
        assertEquals(3, MigrationObjectCopier.firstStageLeft(CONTEXTS, -2L));
    }

    @Test
    void stagesEqualToTheOneBeforeAreSkippedSoTheSeqCanFallBetweenContexts() {
        // s2 equal to s1 (not written), HEAD written under 6 after s1 under 0: a seq of 6 means done;
        // a seq between two contexts (a snapshot that maps to no stage) resumes at the next one
        assertEquals(2, MigrationObjectCopier.firstStageLeft(CONTEXTS, 5L));
    }

    @Test
    void oneCopyPerObjectAtATime() throws Exception {
        ParentIo.OncePerKey guard = new ParentIo.OncePerKey();
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> first = guard.run(7, () -> {
            started.incrementAndGet();
            return release;
        });
        CompletableFuture<Void> second = guard.run(7, () -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        assertSame(first, second, "the second writer waits for the running copy");
        CompletableFuture<Void> other = guard.run(8, () -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        assertTrue(other.isDone(), "another object is not held back");
        assertEquals(2, started.get());
        assertFalse(first.isDone());
        release.complete(null);
        first.get(5, TimeUnit.SECONDS);
        assertEquals(0, guard.running());
        guard.run(7, () -> {
            started.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }).get(5, TimeUnit.SECONDS);
        assertEquals(3, started.get(), "once done, the next write to the object checks again");
    }

    @Test
    void aFailedCopyFailsEveryWaiterAndFreesTheObject() throws Exception {
        ParentIo.OncePerKey guard = new ParentIo.OncePerKey();
        CompletableFuture<Void> fail = new CompletableFuture<>();
        CompletableFuture<Void> a = guard.run(3, () -> fail);
        CompletableFuture<Void> b = guard.run(3, CompletableFuture::new);
        fail.completeExceptionally(new RbdException(-5, "read failed"));
        for (CompletableFuture<Void> f : java.util.List.of(a, b)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertEquals(-5, ((RbdException) e.getCause()).errno());
        }
        assertEquals(0, guard.running());
        CompletableFuture<Void> thrown = guard.run(3, () -> {
            throw new RbdException(-16, "queue full");
        });
        assertTrue(thrown.isCompletedExceptionally());
        assertEquals(0, guard.running(), "a task that could not start frees the object too");
    }
}
