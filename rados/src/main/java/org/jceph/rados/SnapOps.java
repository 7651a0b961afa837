package org.jceph.rados;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jceph.encoding.CephDecoder;
import org.jceph.rados.IoCtx.CloneInfo;
import org.jceph.rados.IoCtx.SnapSet;
import org.jceph.rados.internal.OsdOp;

/**
 * The snapshots of {@link IoCtx}: pool snapshots (through the monitors), self-managed ones,
 * rolling an object back to either, and an object's clone list (list_snaps).
 */
record SnapOps(IoCtx io) {

    CompletableFuture<Void> snapCreateAsync(String name) {
        Args.notNull(name, "name");
        io.checkOpen();
        return io.client.createPoolSnapAsync(io.poolId, name);
    }

    CompletableFuture<Void> snapRemoveAsync(String name) {
        Args.notNull(name, "name");
        io.checkOpen();
        return io.client.removePoolSnapAsync(io.poolId, name);
    }

    SortedMap<Long, String> snapList() {
        SortedMap<Long, String> out = new TreeMap<>();
        io.client.osdMap().pool(io.poolId).snaps().forEach((id, info) -> out.put(id, info.name()));
        return out;
    }

    long snapLookup(String name) {
        Args.notNull(name, "name");
        for (Map.Entry<Long, String> e : snapList().entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        throw new RadosException.ObjectNotFoundException("snapshot '" + name + "' of pool '" + io.poolName + "'");
    }

    CompletableFuture<Void> snapRollbackAsync(String oid, String snapName) {
        Args.oid(oid);
        long id = snapLookup(snapName);
        return io.run(oid, OsdOp.rollback(id)).thenApply(r -> null);
    }

    CompletableFuture<Void> selfManagedSnapRollbackAsync(String oid, long snapId) {
        return io.run(oid, OsdOp.rollback(snapId)).thenApply(r -> null);
    }

    CompletableFuture<Long> selfManagedSnapCreateAsync() {
        io.checkOpen();
        return io.client.createSelfManagedSnapAsync(io.poolId);
    }

    CompletableFuture<Void> selfManagedSnapRemoveAsync(long snapId) {
        io.checkOpen();
        return io.client.removeSelfManagedSnapAsync(io.poolId, snapId);
    }

    CompletableFuture<SnapSet> listSnapsAsync(String oid) {
        IoCtx snapdir = io.duplicate();
        snapdir.setReadSnap(-1L); // CEPH_SNAPDIR
        return ObjectDataOps.orNullWhenAbsent(snapdir.run(oid, OsdOp.listSnaps()).thenApply(r -> decodeSnapSet(r.outputs().get(0))));
    }

    private static SnapSet decodeSnapSet(byte[] out) {
        CephDecoder d = CephDecoder.of(out, "obj_list_snap_response_t");
        CephDecoder.Envelope env = d.beginStruct("obj_list_snap_response_t", 2);
        List<CloneInfo> clones = d.readList("clones", 28, x -> {
            CephDecoder.Envelope c = x.beginStruct("clone_info", 1);
            long id = x.readU64Le();
            List<Long> snaps = x.readList(8, CephDecoder::readU64Le);
            List<long[]> overlap = x.readList("overlap", 16, y -> new long[] {y.readU64Le(), y.readU64Le()});
            long size = x.readU64Le();
            x.endStruct(c);
            return new CloneInfo(id, snaps, overlap, size);
        });
        long seq = env.version() >= 2 ? d.readU64Le() : -2L;
        d.endStruct(env);
        return new SnapSet(clones, seq);
    }
}
