package org.jceph.rados;

import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.UTime;

/**
 * The advisory locks of {@link IoCtx}: the requests of object class "lock" (lock, unlock,
 * break_lock, get_info, list_locks) encoded for {@link IoCtx#execAsync} and their replies decoded.
 */
record ClsLockOps(IoCtx io) {

    CompletableFuture<Void> lockAsync(String oid, String name, boolean shared, String cookie, String tag,
            String description, long durationSeconds) {
        Args.notNull(name, "name");
        Args.notNull(cookie, "cookie");
        Args.notNull(tag, "tag");
        Args.notNull(description, "description");
        Args.nonNegative(durationSeconds, "durationSeconds");
        return io.execAsync(oid, "lock", "lock", org.jceph.encoding.CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(name).writeU8(shared ? LockInfo.SHARED : LockInfo.EXCLUSIVE).writeString(cookie)
                    .writeString(tag).writeString(description).writeUtime(new UTime(durationSeconds, 0)).writeU8(0);
            e.finishStruct(mark);
        })).thenApply(r -> null);
    }

    CompletableFuture<Void> unlockAsync(String oid, String name, String cookie) {
        Args.notNull(name, "name");
        Args.notNull(cookie, "cookie");
        return io.execAsync(oid, "lock", "unlock", org.jceph.encoding.CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(name).writeString(cookie);
            e.finishStruct(mark);
        })).thenApply(r -> null);
    }

    CompletableFuture<Void> breakLockAsync(String oid, String name, org.jceph.encoding.types.EntityName locker,
            String cookie) {
        Args.notNull(name, "name");
        Args.notNull(locker, "locker");
        Args.notNull(cookie, "cookie");
        return io.execAsync(oid, "lock", "break_lock", org.jceph.encoding.CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(name);
            locker.encode(e);
            e.writeString(cookie);
            e.finishStruct(mark);
        })).thenApply(r -> null);
    }

    CompletableFuture<LockInfo> getLockInfoAsync(String oid, String name) {
        Args.notNull(name, "name");
        return io.execAsync(oid, "lock", "get_info", org.jceph.encoding.CephEncoder.toBytes(e -> {
            int mark = e.beginStruct(1, 1);
            e.writeString(name);
            e.finishStruct(mark);
        })).thenApply(LockInfo::decode);
    }

    CompletableFuture<SortedSet<String>> listLocksAsync(String oid) {
        return io.execAsync(oid, "lock", "list_locks", new byte[0]).thenApply(out -> {
            CephDecoder d = CephDecoder.of(out, "cls_lock_list_locks_reply");
            CephDecoder.Envelope env = d.beginStruct("cls_lock_list_locks_reply", 1);
            SortedSet<String> names = new TreeSet<>(d.readSet(4, CephDecoder::readString));
            d.endStruct(env);
            return names;
        });
    }
}
