package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.ImageInfo;
import org.jceph.rbd.RbdFeatures;
import org.jceph.rbd.RbdImage;

/**
 * {@code rbd info [POOL/]IMAGE[@SNAP]} for format 2 images, field for field as Pacific's tool
 * prints it, as text or {@code --format json [--pretty-format]}.
 */
final class RbdInfoCommand {
    private RbdInfoCommand() {
    }

    private static final java.time.format.DateTimeFormatter CTIME =
            java.time.format.DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.ROOT);

    private static String ctime(Instant t) {
        return CTIME.format(t.atZone(ZoneId.systemDefault()));
    }

    static int run(RbdCommand.Args a, RadosClient rados, String pool, String spec, PrintStream out) {
        String[] snap = RbdCommand.splitSnap(spec);
        IoCtx io = RbdCommand.io(rados, pool);
        try (RbdImage head = RbdImage.open(io, snap[0], true);
                RbdImage img = snap[1] == null ? null : head.atSnapshot(snap[1])) {
            RbdImage v = img == null ? head : img;
            ImageInfo info = ImageInfo.of(v);
            long objects = RbdImage.objectCountFor(v.layout(), v.size());
            String dataPool = info.dataPoolId() == io.poolId() ? null : rados.ioCtx(info.dataPoolId()).poolName();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", snap[0]);
            m.put("id", v.id());
            m.put("size", v.size());
            m.put("objects", objects);
            m.put("order", v.order());
            m.put("object_size", 1L << v.order());
            m.put("snapshot_count", info.snapshotCount());
            if (dataPool != null) {
                m.put("data_pool", dataPool);
            }
            m.put("block_name_prefix", v.objectPrefix());
            m.put("format", 2);
            m.put("features", new CephJson.Items("feature",
                    List.of(RbdFeatures.names(v.features()).split(", ")).stream().filter(s -> !s.isEmpty()).toList()));
            m.put("op_features", new CephJson.Items("op_feature", ImageInfo.opFeatureNames(info.opFeatures())));
            m.put("flags", new CephJson.Items("flag", ImageInfo.flagNames(info.flags())));
            org.jceph.rbd.Groups.ImageGroup group = org.jceph.rbd.Groups.imageGroup(io, v.id());
            String groupText = group == null ? null : group.poolName() + "/"
                    + (io.namespace().isEmpty() ? "" : io.namespace() + "/") + group.groupName();
            if (groupText != null) {
                m.put("group", groupText);
            }
            if (info.created() != null) {
                m.put("create_timestamp", ctime(info.created()));
            }
            if (info.accessed() != null) {
                m.put("access_timestamp", ctime(info.accessed()));
            }
            if (info.modified() != null) {
                m.put("modify_timestamp", ctime(info.modified()));
            }
            if (snap[1] != null) {
                m.put("protected", head.isProtected(snap[1]) ? "true" : "false");
            }
            if (info.snapshotLimit() != ImageInfo.NO_LIMIT) {
                m.put("snapshot_limit", info.snapshotLimit());
            }
            // a migration's source is no parent to rbd info
            RbdImage.Parent p = v.parent() != null && v.parent().isMigrationSource() ? null : v.parent();
            String parentText = null;
            if (p != null) {
                String ppool = rados.ioCtx(p.poolId()).poolName();
                String psnap = p.image().snapshots().stream().filter(x -> x.id() == p.snapId())
                        .map(RbdImage.Snapshot::name).findFirst().orElse(String.valueOf(p.snapId()));
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("pool", ppool);
                pm.put("pool_namespace", p.poolNamespace());
                pm.put("image", p.image().name());
                pm.put("id", p.imageId());
                pm.put("snapshot", psnap);
                pm.put("trash", info.parentInTrash());
                pm.put("overlap", p.overlap());
                m.put("parent", pm);
                parentText = ppool + "/" + (p.poolNamespace().isEmpty() ? "" : p.poolNamespace() + "/") + p.image().name()
                        + "@" + psnap + (info.parentInTrash() ? " (trash " + p.imageId() + ")" : "");
            }
            if ((v.features() & RbdFeatures.STRIPINGV2) != 0) {
                m.put("stripe_unit", v.layout().stripeUnit());
                m.put("stripe_count", v.layout().stripeCount());
            }
            org.jceph.rbd.mirror.MirrorTypes.MirrorImage mirror = org.jceph.rbd.mirror.MirrorImages.record(io, v.id());
            boolean mirrorPrimary = false;
            if (mirror != null) {
                mirrorPrimary = org.jceph.rbd.mirror.MirrorImages.info(head).primary();
                Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("mode", mirror.mode().text());
                mm.put("state", mirror.state().text());
                mm.put("global_id", mirror.globalId());
                mm.put("primary", mirrorPrimary);
                m.put("mirroring", mm);
            }
            if (CephJson.formatted(a)) {
                CephJson.print(out, a, "image", m);
                out.flush();
                return 0;
            }
            StringBuilder t = new StringBuilder();
            t.append("rbd image '").append(snap[0]).append("':\n");
            t.append("\tsize ").append(RbdCommand.human(v.size())).append(" in ").append(objects).append(" objects\n");
            t.append("\torder ").append(v.order()).append(" (").append(RbdCommand.human(1L << v.order())).append(" objects)\n");
            t.append("\tsnapshot_count: ").append(info.snapshotCount()).append('\n');
            t.append("\tid: ").append(v.id()).append('\n');
            if (dataPool != null) {
                t.append("\tdata_pool: ").append(dataPool).append('\n');
            }
            t.append("\tblock_name_prefix: ").append(v.objectPrefix()).append('\n');
            t.append("\tformat: 2\n");
            t.append("\tfeatures: ").append(RbdFeatures.names(v.features())).append('\n');
            t.append("\top_features: ").append(String.join(", ", ImageInfo.opFeatureNames(info.opFeatures()))).append('\n');
            t.append("\tflags: ").append(String.join(", ", ImageInfo.flagNames(info.flags()))).append('\n');
            if (groupText != null) {
                t.append("\tgroup: ").append(groupText).append('\n');
            }
            for (String k : List.of("create_timestamp", "access_timestamp", "modify_timestamp")) {
                if (m.containsKey(k)) {
                    t.append('\t').append(k).append(": ").append(m.get(k)).append('\n');
                }
            }
            if (snap[1] != null) {
                t.append("\tprotected: ").append(head.isProtected(snap[1]) ? "True" : "False").append('\n');
            }
            if (info.snapshotLimit() != ImageInfo.NO_LIMIT) {
                t.append("\tsnapshot_limit: ").append(Long.toUnsignedString(info.snapshotLimit())).append('\n');
            }
            if (p != null) {
                t.append("\tparent: ").append(parentText).append('\n');
                t.append("\toverlap: ").append(RbdCommand.human(p.overlap())).append('\n');
            }
            if ((v.features() & RbdFeatures.STRIPINGV2) != 0) {
                t.append("\tstripe unit: ").append(RbdCommand.human(v.layout().stripeUnit())).append('\n');
                t.append("\tstripe count: ").append(v.layout().stripeCount()).append('\n');
            }
            if (mirror != null) {
                t.append("\tmirroring state: ").append(mirror.state().text()).append('\n');
                t.append("\tmirroring mode: ").append(mirror.mode().text()).append('\n');
                t.append("\tmirroring global id: ").append(mirror.globalId()).append('\n');
                t.append("\tmirroring primary: ").append(mirrorPrimary).append('\n');
            }
            out.print(t);
            out.flush();
            return 0;
        }
    }
}
