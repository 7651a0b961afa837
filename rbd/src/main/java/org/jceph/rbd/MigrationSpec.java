package org.jceph.rbd;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jceph.encoding.CephDecoder;
import org.jceph.encoding.CephEncoder;

/**
 * The migration header librbd keeps in an image's header object (omap key {@code migration},
 * cls_rbd migration_set/migration_get): cls::rbd::MigrationSpec, struct version 3 (compat 1,
 * or 3 when a source spec is set).
 *
 * <p>The source image's header names the destination (type {@link #TYPE_SRC}), the destination's
 * names the source (type {@link #TYPE_DST}); both carry the same state. {@code snapSeqs} maps
 * source snapshot ids to the destination's copies, {@code overlap} is how much of the
 * destination reads through to the source while the migration is not executed.
 *
 * @param headerType {@link #TYPE_SRC} or {@link #TYPE_DST}
 * @param poolId the other image's pool (-1 for an import whose source is {@code sourceSpec})
 * @param poolNamespace the other image's namespace
 * @param imageName the other image's name
 * @param imageId the other image's id
 * @param sourceSpec the JSON source spec of an import-only migration, else empty
 * @param snapSeqs source snapshot id to destination snapshot id
 * @param overlap bytes of the destination backed by the source
 * @param flatten whether the destination drops the source's parent
 * @param mirroring whether mirroring was enabled on the source
 * @param mirrorImageMode cls::rbd::MirrorImageMode as a byte (0 journal, 1 snapshot)
 * @param state one of the {@code STATE_} constants
 * @param stateDescription free text (errors)
 */
public record MigrationSpec(int headerType, long poolId, String poolNamespace, String imageName, String imageId,
                            String sourceSpec, Map<Long, Long> snapSeqs, long overlap, boolean flatten,
                            boolean mirroring, int mirrorImageMode, int state, String stateDescription) {
    /** The header of the image being migrated away from. */
    public static final int TYPE_SRC = 1;
    /** The header of the image being migrated to. */
    public static final int TYPE_DST = 2;

    /** The migration failed (librbd records why in the description). */
    public static final int STATE_ERROR = 0;
    /** prepare is under way. */
    public static final int STATE_PREPARING = 1;
    /** Prepared: the destination reads through to the source. */
    public static final int STATE_PREPARED = 2;
    /** execute is copying objects. */
    public static final int STATE_EXECUTING = 3;
    /** Executed: every object copied; commit or abort next. */
    public static final int STATE_EXECUTED = 4;
    /** abort is under way: the destination opens read-only only. */
    public static final int STATE_ABORTING = 5;

    /** The omap key of the header object that holds the encoded spec. */
    static final String OMAP_KEY = "migration";

    /** Normalizes nulls to empty values and copies the snapshot map. */
    public MigrationSpec {
        poolNamespace = poolNamespace == null ? "" : poolNamespace;
        imageName = imageName == null ? "" : imageName;
        imageId = imageId == null ? "" : imageId;
        sourceSpec = sourceSpec == null ? "" : sourceSpec;
        stateDescription = stateDescription == null ? "" : stateDescription;
        snapSeqs = snapSeqs == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(snapSeqs));
    }

    /**
     * The same spec in another state.
     *
     * @param newState the state
     * @param description its description
     * @return the new spec
     */
    public MigrationSpec withState(int newState, String description) {
        return new MigrationSpec(headerType, poolId, poolNamespace, imageName, imageId, sourceSpec, snapSeqs, overlap,
                flatten, mirroring, mirrorImageMode, newState, description);
    }

    /**
     * The state's name as librbd prints it ({@code rbd status}).
     *
     * @param state a state number
     * @return its name ("unknown" for others)
     */
    public static String stateName(int state) {
        return switch (state) {
            case STATE_ERROR -> "error";
            case STATE_PREPARING -> "preparing";
            case STATE_PREPARED -> "prepared";
            case STATE_EXECUTING -> "executing";
            case STATE_EXECUTED -> "executed";
            case STATE_ABORTING -> "aborting";
            default -> "unknown";
        };
    }

    /**
     * Encodes the spec as cls_rbd stores it.
     *
     * @param e where to
     */
    public void encode(CephEncoder e) {
        int mark = e.beginStruct(3, sourceSpec.isEmpty() ? 1 : 3);
        e.writeU8(headerType);
        e.writeS64Le(poolId);
        e.writeString(poolNamespace);
        e.writeString(imageName);
        e.writeString(imageId);
        e.writeMap(snapSeqs, CephEncoder::writeU64Le, CephEncoder::writeU64Le);
        e.writeU64Le(overlap);
        e.writeBool(flatten);
        e.writeBool(mirroring);
        e.writeU8(state);
        e.writeString(stateDescription);
        e.writeU8(mirrorImageMode);
        e.writeString(sourceSpec);
        e.finishStruct(mark);
    }

    /**
     * The encoded spec.
     *
     * @return its bytes
     */
    public byte[] toBytes() {
        return CephEncoder.toBytes(this::encode);
    }

    /**
     * Decodes a spec (versions 1 to 3).
     *
     * @param d where from
     * @return the spec
     */
    public static MigrationSpec decode(CephDecoder d) {
        CephDecoder.Envelope env = d.beginStruct("MigrationSpec", 3);
        int type = d.readU8();
        long pool = d.readS64Le();
        String ns = d.readString();
        String name = d.readString();
        String id = d.readString();
        Map<Long, Long> seqs = new LinkedHashMap<>(d.readMap(16, CephDecoder::readU64Le, CephDecoder::readU64Le));
        long overlap = d.readU64Le();
        boolean flatten = d.readBool();
        boolean mirroring = d.readBool();
        int state = d.readU8();
        String desc = d.readString();
        int mode = 0;
        String source = "";
        if (env.version() >= 2) {
            mode = d.readU8();
        }
        if (env.version() >= 3) {
            source = d.readString();
        }
        d.endStruct(env);
        return new MigrationSpec(type, pool, ns, name, id, source, seqs, overlap, flatten, mirroring, mode, state, desc);
    }

    /**
     * Decodes a whole buffer.
     *
     * @param bytes the encoding
     * @return the spec
     */
    public static MigrationSpec decode(byte[] bytes) {
        return decode(CephDecoder.of(bytes, "MigrationSpec"));
    }
}
