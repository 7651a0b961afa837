package org.jceph.rbd;

import static org.jceph.rbd.RbdImage.NOSNAP;
import static org.jceph.rbd.RbdImage.awaitIo;
import static org.jceph.rbd.RbdImage.encode;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jceph.encoding.CephDecoder;
import org.jceph.rbd.lock.ExclusiveLock;
import org.jceph.rbd.lock.ImageWatcher;
import org.jceph.rbd.objectmap.ObjectMap;

/**
 * What a read-write open of an {@link RbdImage} sets up and closing takes down: the header
 * watch, the exclusive lock and its hooks (header refresh and object map load after acquiring,
 * cache writeback before a requested release), the client writeback cache, and maintenance
 * operations (cache written back, lock held, writes paused by the write gate).
 */
final class ImageLifecycle {
    private static final org.slf4j.Logger LOG_CACHE = org.slf4j.LoggerFactory.getLogger("org.jceph.rbd.cache");

    private final RbdImage img;

    ImageLifecycle(RbdImage img) {
        this.img = img;
    }

    void startLocking(java.time.Duration lockTimeout) {
        if (lockTimeout.isZero()) {
            lockTimeout = java.time.Duration.ofDays(3650); // 0: no limit, as librados' timeouts
        }
        String header = "rbd_header." + img.id;
        img.worker = ImageThreads.lockWorker(img.name);
        img.mapWorkers = ImageThreads.mapUpdates();
        try {
            img.watcher = new ImageWatcher(img.md, header, img.worker);
        } catch (RuntimeException e) {
            img.worker.shutdownNow();
            throw e;
        }
        if ((img.features & RbdFeatures.OBJECT_MAP) != 0) {
            img.objectMap = new ObjectMap(img.md, img.id);
        }
        img.watcher.onHeaderUpdate(n -> refreshQuietly());
        img.remoteOps = ImageThreads.remoteOps(img.name);
        img.watcher.onOwnerRequests((snap, ns) -> img.snapCreateInNamespace(snap, e -> e.writeBytes(ns)), img.remoteOps);
        // closing the client first gives the lock back and drops the watch, as closing this image does
        img.md.client().registerDependent(img);
        img.lock = new ExclusiveLock(img.md, img.watcher, img.worker, lockTimeout, new ExclusiveLock.Hooks() {
            @Override
            public void acquired() {
                // librbd's post-acquire: refresh the header, then lock and load the object map.
                refreshHeader();
                if (img.objectMap != null) {
                    img.objectMap.lock();
                    img.objectMap.load();
                    img.objectMapInvalid = (ObjectMap.flags(img.md, img.id) & ObjectMap.FLAG_OBJECT_MAP_INVALID) != 0;
                }
            }

            @Override
            public void beforeRelease() {
                try {
                    flushCache("before giving the exclusive lock away"); // CACHE-HOOK
                } catch (RuntimeException e) {
                    LOG_CACHE.warn("image {}: flush before releasing the exclusive lock failed: {}", img.name,
                            e.getMessage());
                }
            }

            @Override
            public void releasing() {
                if (img.objectMap != null) {
                    img.objectMap.unlock();
                }
            }
        }, img.name);
    }

    /** Re-reads size and snapshot context from the header (after a peer's HEADER_UPDATE or on lock). */
    void refreshHeader() {
        String header = "rbd_header." + img.id;
        CephDecoder sz = CephDecoder.of(img.md.exec(header, "rbd", "get_size", encode(e -> e.writeU64Le(NOSNAP))), "get_size");
        sz.readU8();
        img.size = sz.readU64Le();
        img.refreshSnapContext();
        RbdImage.Parent p = img.parent;
        if (p != null && p.isMigrationSource() && !Migration.readsThrough(img.md, img.id)) { // MIGRATION-HOOK
            // executed (or committed) elsewhere: the destination stands on its own (or its clone parent)
            img.parent = ImageOpen.loadParent(img.md, header, RbdImage.NOSNAP, 0);
            p.closeSource();
        }
    }

    private void refreshQuietly() {
        try {
            refreshHeader();
        } catch (RuntimeException e) {
            // The next lock acquisition refreshes again.
        }
    }

    /** Runs a maintenance operation (resize, snapshots) holding the exclusive lock if there is one. */
    <T> T maintenance(java.util.function.Supplier<T> op) {
        // CACHE-HOOK: new writes wait, the ones taken are written back, so every on-disk change
        // sees exactly the writes acknowledged before it began (librbd: block writes, then flush)
        boolean cached = img.cache != null;
        if (cached) {
            img.cacheGate.pause(img.name);
        }
        try {
            flushCache("before a snapshot/resize/rollback");
            ExclusiveLock.Permit p;
            try {
                p = img.permit().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
            img.gate.pause(img.name);
            try {
                return op.get();
            } finally {
                img.gate.resume();
                p.close();
            }
        } finally {
            if (cached) {
                img.cacheGate.resume();
            }
        }
    }

    /**
     * A maintenance operation that changes the header (cache written back, exclusive lock held,
     * writes paused), after which the header's watchers are told to refresh.
     */
    void headerChange(Runnable underLock) {
        maintenance(() -> {
            underLock.run();
            return null;
        });
        if (img.watcher != null) {
            img.watcher.notifyHeaderUpdate();
        }
    }

    /** Gives back the exclusive lock (after the writes in flight) and drops the header watch. */
    void releaseLockAndWatch() {
        if (img.watcher == null) {
            return;
        }
        try {
            img.lock.shutdown();
        } finally {
            img.watcher.close();
            img.worker.shutdownNow();
            img.remoteOps.shutdownNow();
            img.watcher = null;
        }
    }

    /** Replaces the (still unused) cache: right after open only. */
    void useCache(org.jceph.rbd.cache.CacheSettings settings) {
        org.jceph.rbd.cache.WritebackCache old = img.cache;
        if (old != null) {
            old.close();
        }
        img.cache = settings.enabled() ? new org.jceph.rbd.cache.WritebackCache(new org.jceph.rbd.cache.WritebackCache
                .Backend() {
            @Override
            public CompletableFuture<byte[]> read(long offset, int length) {
                return img.objectIo.readUncached(offset, length);
            }

            @Override
            public CompletableFuture<Void> read(long offset, java.nio.ByteBuffer dst) {
                return img.objectIo.readUncached(offset, dst); // straight into the caller's buffer
            }

            @Override
            public CompletableFuture<Void> write(long offset, byte[] data) {
                return img.objectIo.writeUncached(offset, data);
            }

            @Override
            public CompletableFuture<Void> write(long offset, java.nio.ByteBuffer data) {
                return img.objectIo.writeUncached(offset, data); // the cache's copy goes out as it is
            }

            @Override
            public CompletableFuture<Void> discard(long offset, long length) {
                return img.objectIo.discardUncached(offset, length);
            }
        }, settings, org.jceph.rbd.cache.WritebackCache.system(), img.name) : null;
        if (img.cache != null) {
            img.md.client().registerDependent(img); // closing the client flushes this image first
        }
    }

    /** Writes the cache's dirty data back (not a user flush: writethrough-until-flush stays). */
    void flushCache(String why) {
        org.jceph.rbd.cache.WritebackCache c = img.cache;
        if (c != null) {
            awaitIo(c.flush(false), "cache flush " + why + " of image " + img.name);
        }
    }
}
