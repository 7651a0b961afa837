package org.jceph.osdmap;

import java.util.ArrayList;
import java.util.List;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * {@code pool_opts_t} (src/osd/osd_types.cc): per-pool options (compression, scrub intervals,
 * pg_num_min, ...), keyed by Ceph's numeric {@code pool_opts_t::key_t}. ENCODE_START(v, 1) with
 * v = 2 from Nautilus (integers as s64) and 1 before (integers as s32).
 *
 * <pre>
 *   u32 n, then n x { s32 key | s32 type (0 STR, 1 INT, 2 DOUBLE) | string | s32/s64 | double }
 * </pre>
 */
public record PoolOpts(int version, int compat, List<Option> options, byte[] tail) {
    public static final int TYPE_STR = 0;
    public static final int TYPE_INT = 1;
    public static final int TYPE_DOUBLE = 2;

    /** One option; {@code value} is a String, a Long or a Double according to {@code type}. */
    public record Option(int key, int type, Object value) {
    }

    public PoolOpts {
        options = List.copyOf(options);
    }

    public static final PoolOpts EMPTY = new PoolOpts(2, 1, List.of(), new byte[0]);

    public static PoolOpts decode(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("pool_opts_t", 2);
        int n = d.readCountLe("pool options", 8);
        List<Option> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int key = d.readS32Le();
            int type = d.readS32Le();
            Object value = switch (type) {
                case TYPE_STR -> d.readString();
                case TYPE_INT -> env.version() >= 2 ? (Object) d.readS64Le() : (Object) (long) d.readS32Le();
                case TYPE_DOUBLE -> d.readF64Le();
                default -> throw d.error("unknown pool option type " + type + " for key " + key);
            };
            out.add(new Option(key, type, value));
        }
        byte[] tail = d.readBytes(env.remainingIn(d));
        d.endStruct(env);
        return new PoolOpts(env.version(), env.compat(), out, tail);
    }

    public void encode(CephEncoder e) {
        encode(e, version);
    }

    /** Writes version {@code v} (1: integers as s32, what pre-Nautilus encoders write). */
    public void encode(CephEncoder e, int v) {
        int mark = e.beginStruct(v, v == version ? compat : 1);
        e.writeU32Le(options.size());
        for (Option o : options) {
            e.writeS32Le(o.key()).writeS32Le(o.type());
            switch (o.type()) {
                case TYPE_STR -> e.writeString((String) o.value());
                case TYPE_INT -> {
                    long n = (Long) o.value();
                    if (v >= 2) {
                        e.writeS64Le(n);
                    } else {
                        e.writeS32Le((int) n);
                    }
                }
                case TYPE_DOUBLE -> e.writeF64Le((Double) o.value());
                default -> throw new IllegalStateException("pool option type " + o.type());
            }
        }
        if (v == version) {
            e.writeBytes(tail);
        }
        e.finishStruct(mark);
    }
}
