package org.jceph.encoding.packed;

import java.util.List;

/**
 * The packed C structs that cross the wire or sit on disk, each declared once with every byte
 * accounted for. Sources (Ceph repo unless noted): src/include/msgr.h (messenger headers and
 * footers, connect, entity name/addr), src/include/rados.h (osd ops and the 2010 request/reply
 * heads), src/include/rbd_types.h (format 1 header). The kernel's include/linux/ceph has the same
 * declarations. The msgr2 frame blocks follow src/msg/async/frames_v2.h (preamble_block_t, the
 * epilogue blocks of both revisions and both modes) and ProtocolV2.cc (the banner); they are C++
 * but packed, so they are declared here and in the C probe the same way.
 *
 * <p>The C probe under fixtures/src/main/c declares the same structs independently, from the C
 * headers; the layout properties prove both agree, field by field and byte by byte.
 */
public final class CephStructs {
    private CephStructs() {
    }

    // ---- timestamps, versions, placement (rados.h) ----------------------------------------------

    /** {@code struct ceph_timespec}: 8 bytes. */
    public static final PackedLayout CEPH_TIMESPEC = PackedLayout.builder("ceph_timespec")
            .u32le("tv_sec")
            .u32le("tv_nsec")
            .build(8);

    /**
     * {@code struct ceph_eversion}: 12 bytes, version first. The 2010 headers listed epoch first, but
     * userspace Ceph always put {@code eversion_t} on the wire version first (its encoder writes
     * version, then epoch); the header was later corrected to match. We declare the wire order.
     */
    public static final PackedLayout CEPH_EVERSION = PackedLayout.builder("ceph_eversion")
            .u64le("version")
            .u32le("epoch")
            .build(12);

    /** {@code struct ceph_pg}, the 2010 raw placement group: 8 bytes. */
    public static final PackedLayout CEPH_PG = PackedLayout.builder("ceph_pg")
            .u16le("preferred")
            .u16le("ps")
            .u32le("pool")
            .build(8);

    /** {@code struct ceph_object_layout}: 12 bytes. */
    public static final PackedLayout CEPH_OBJECT_LAYOUT = PackedLayout.builder("ceph_object_layout")
            .struct("ol_pgid", CEPH_PG)
            .u32le("ol_stripe_unit")
            .build(12);

    // ---- names and addresses (msgr.h) -----------------------------------------------------------

    /** {@code struct ceph_entity_name}: u8 type, u64 num; 9 bytes. */
    public static final PackedLayout CEPH_ENTITY_NAME = PackedLayout.builder("ceph_entity_name")
            .u8("type")
            .u64le("num")
            .build(9);

    /** IPv4 view of the 128-byte sockaddr_storage inside a legacy address. */
    private static final PackedLayout SOCKADDR_IN = PackedLayout.builder("in4")
            .u16be("family") // the legacy-encoding quirk: family in network order
            .u16be("port")
            .bytes("addr", 4)
            .pad("sin_zero", 8)
            .pad("unused", 112)
            .build(128);

    /** IPv6 view of the same 128 bytes. */
    private static final PackedLayout SOCKADDR_IN6 = PackedLayout.builder("in6")
            .u16be("family")
            .u16be("port")
            .bytes("flowinfo", 4)
            .bytes("addr", 16)
            .u32le("scope_id")
            .pad("unused", 100)
            .build(128);

    /**
     * {@code struct ceph_entity_addr}, the legacy (msgr1) address: u32 type, u32 nonce, then a
     * sockaddr_storage whose family field is big-endian on the wire. 136 bytes.
     */
    public static final PackedLayout CEPH_ENTITY_ADDR = PackedLayout.builder("ceph_entity_addr")
            .u32le("type")
            .u32le("nonce")
            .union("in_addr", 128, SOCKADDR_IN, SOCKADDR_IN6)
            .build(136);

    /** {@code struct ceph_entity_inst}: name then address, 145 bytes. */
    public static final PackedLayout CEPH_ENTITY_INST = PackedLayout.builder("ceph_entity_inst")
            .struct("name", CEPH_ENTITY_NAME)
            .struct("addr", CEPH_ENTITY_ADDR)
            .build(145);

    // ---- msgr1 negotiation and messages (msgr.h) ------------------------------------------------

    /** {@code struct ceph_msg_connect}: the msgr1 client's connect request, 33 bytes. */
    public static final PackedLayout CEPH_MSG_CONNECT = PackedLayout.builder("ceph_msg_connect")
            .u64le("features")
            .u32le("host_type")
            .u32le("global_seq")
            .u32le("connect_seq")
            .u32le("protocol_version")
            .u32le("authorizer_protocol")
            .u32le("authorizer_len")
            .u8("flags")
            .build(33);

    /** {@code struct ceph_msg_connect_reply}: 26 bytes. */
    public static final PackedLayout CEPH_MSG_CONNECT_REPLY = PackedLayout.builder("ceph_msg_connect_reply")
            .u8("tag")
            .u64le("features")
            .u32le("global_seq")
            .u32le("connect_seq")
            .u32le("protocol_version")
            .u32le("authorizer_len")
            .u8("flags")
            .build(26);

    /** {@code struct ceph_msg_header}: the msgr1 message header, 53 bytes; crc covers the first 49. */
    public static final PackedLayout CEPH_MSG_HEADER = PackedLayout.builder("ceph_msg_header")
            .u64le("seq")
            .u64le("tid")
            .u16le("type")
            .u16le("priority")
            .u16le("version")
            .u32le("front_len")
            .u32le("middle_len")
            .u32le("data_len")
            .u16le("data_off")
            .struct("src", CEPH_ENTITY_NAME)
            .u16le("compat_version")
            .pad("reserved", 2)
            .u32le("crc")
            .build(53);

    /** {@code struct ceph_msg_header2}: msgr2's segment-0 message header, 41 bytes. */
    public static final PackedLayout CEPH_MSG_HEADER2 = PackedLayout.builder("ceph_msg_header2")
            .u64le("seq")
            .u64le("tid")
            .u16le("type")
            .u16le("priority")
            .u16le("version")
            .u32le("data_pre_padding_len")
            .u16le("data_off")
            .u64le("ack_seq")
            .u8("flags")
            .u16le("compat_version")
            .pad("reserved", 2)
            .build(41);

    /** {@code struct ceph_msg_footer}: with the signature (peer has MSG_AUTH), 21 bytes. */
    public static final PackedLayout CEPH_MSG_FOOTER = PackedLayout.builder("ceph_msg_footer")
            .u32le("front_crc")
            .u32le("middle_crc")
            .u32le("data_crc")
            .u64le("sig")
            .u8("flags")
            .build(21);

    /** {@code struct ceph_msg_footer_old}: without the signature, 13 bytes. */
    public static final PackedLayout CEPH_MSG_FOOTER_OLD = PackedLayout.builder("ceph_msg_footer_old")
            .u32le("front_crc")
            .u32le("middle_crc")
            .u32le("data_crc")
            .u8("flags")
            .build(13);

    // ---- msgr2 (src/msg/async/frames_v2.h, ProtocolV2.cc) ---------------------------------------

    /** frames_v2.h MAX_NUM_SEGMENTS: every preamble describes four segments, used or not. */
    public static final int MSGR2_MAX_SEGMENTS = 4;

    /** {@code segment_t}: one segment descriptor of the preamble, 6 bytes. */
    public static final PackedLayout MSGR2_SEGMENT = PackedLayout.builder("msgr2_segment").cName("segment_t")
            .u32le("length")
            .u16le("alignment")
            .build(6);

    private static PackedLayout.Builder segmentArray(PackedLayout.Builder b) {
        for (int i = 0; i < MSGR2_MAX_SEGMENTS; i++) {
            b.struct("segments[" + i + "]", MSGR2_SEGMENT);
        }
        return b;
    }

    /**
     * {@code preamble_block_t}: the 32 bytes that open every msgr2 frame, in both revisions and
     * both modes (in secure mode they are the first 32 bytes of the first ciphertext block). The
     * four segment descriptors are all present; those beyond {@code num_segments} are zero.
     * {@code flags} bit 0 is FRAME_EARLY_DATA_COMPRESSED (Quincy and later; Pacific declared both
     * bytes reserved); {@code crc} is crc32c, seed 0, of bytes 0..27.
     */
    public static final PackedLayout MSGR2_PREAMBLE = segmentArray(
            PackedLayout.builder("msgr2_preamble").cName("preamble_block_t")
                    .u8("tag")
                    .u8("num_segments"))
            .u8("flags")
            .pad("reserved", 1)
            .u32le("crc")
            .build(32);

    /**
     * {@code epilogue_crc_rev1_block_t}: msgr2.1 crc mode, 13 bytes, present only when segments
     * 1..3 are not all empty. {@code late_status} is FRAME_LATE_STATUS_COMPLETE (0x0e) or
     * _ABORTED (0x01) in the low nibble; {@code crc_values[i]} is crc32c(-1) of segment i + 1
     * (segment 0 carries its own le32 crc right after its bytes).
     */
    public static final PackedLayout MSGR2_EPILOGUE_CRC_REV1 = PackedLayout.builder("msgr2_epilogue_crc_rev1")
            .cName("epilogue_crc_rev1_block_t")
            .u8("late_status")
            .u32le("crc_values[0]")
            .u32le("crc_values[1]")
            .u32le("crc_values[2]")
            .build(13);

    /**
     * {@code epilogue_crc_rev0_block_t}: msgr2.0 crc mode, 17 bytes after every frame.
     * {@code late_flags} bit 0 is FRAME_LATE_FLAG_ABORTED; {@code crc_values[i]} is crc32c(-1) of
     * segment i (zero for segments beyond num_segments).
     */
    public static final PackedLayout MSGR2_EPILOGUE_CRC_REV0 = PackedLayout.builder("msgr2_epilogue_crc_rev0")
            .cName("epilogue_crc_rev0_block_t")
            .u8("late_flags")
            .u32le("crc_values[0]")
            .u32le("crc_values[1]")
            .u32le("crc_values[2]")
            .u32le("crc_values[3]")
            .build(17);

    /**
     * {@code epilogue_secure_rev1_block_t}: msgr2.1 secure mode, one AES block (16 bytes) of
     * plaintext after segments 1..3 (each padded to 16) and before the GCM tag.
     */
    public static final PackedLayout MSGR2_EPILOGUE_SECURE_REV1 = PackedLayout.builder("msgr2_epilogue_secure_rev1")
            .cName("epilogue_secure_rev1_block_t")
            .u8("late_status")
            .pad("padding", 15)
            .build(16);

    /** {@code epilogue_secure_rev0_block_t}: msgr2.0 secure mode, 16 bytes, late_flags first. */
    public static final PackedLayout MSGR2_EPILOGUE_SECURE_REV0 = PackedLayout.builder("msgr2_epilogue_secure_rev0")
            .cName("epilogue_secure_rev0_block_t")
            .u8("late_flags")
            .pad("padding", 15)
            .build(16);

    /**
     * The first ciphertext block of a msgr2.1 secure frame as it is decrypted: the preamble, the
     * first 48 bytes of segment 0 (zero padded when it is shorter), then the 16-byte GCM tag on
     * the wire. Ceph has no struct for it (ProtocolV2.cc reads FRAME_PREAMBLE_WITH_INLINE_SIZE
     * plus the tag); we name it so that its 96 bytes are declared once.
     */
    public static final PackedLayout MSGR2_SECURE_HEAD = PackedLayout.builder("msgr2_secure_head")
            .struct("preamble", MSGR2_PREAMBLE)
            .bytes("segment0_inline", 48)
            .bytes("auth_tag", 16)
            .build(96);

    /**
     * The msgr2 banner (ProtocolV2.cc, msgr.h CEPH_BANNER_V2_PREFIX), before any frame and in
     * clear text in every mode: the prefix {@code "ceph v2\n"}, le16 payload length (16 today),
     * then the payload: le64 supported and le64 required msgr2 features (bit 0 REVISION_1, bit 1
     * COMPRESSION). Not a frame: no preamble, no crc.
     */
    public static final PackedLayout MSGR2_BANNER = PackedLayout.builder("msgr2_banner")
            .chars("prefix", 8)
            .u16le("payload_len")
            .u64le("supported_features")
            .u64le("required_features")
            .build(26);

    // ---- osd ops (rados.h) ---------------------------------------------------------------------

    /** Closes a union case: names the bytes it leaves unused, up to the union's 28. */
    private static PackedLayout opCase(PackedLayout.Builder b, int used) {
        return b.pad("unused", 28 - used).build(28);
    }

    /** The 28-byte union inside {@code ceph_osd_op}, one case per op family. */
    public static final List<PackedLayout> CEPH_OSD_OP_CASES = List.of(
            PackedLayout.builder("extent").u64le("offset").u64le("length").u64le("truncate_size")
                    .u32le("truncate_seq").build(28),
            opCase(PackedLayout.builder("xattr").u32le("name_len").u32le("value_len")
                    .u8("cmp_op").u8("cmp_mode"), 10),
            opCase(PackedLayout.builder("cls").u8("class_len").u8("method_len").u8("argc")
                    .u32le("indata_len"), 7),
            opCase(PackedLayout.builder("pgls").u64le("count").u32le("start_epoch"), 12),
            opCase(PackedLayout.builder("snap").u64le("snapid"), 8),
            opCase(PackedLayout.builder("watch").u64le("cookie").u64le("ver").u8("op")
                    .u32le("gen").u32le("timeout"), 25),
            opCase(PackedLayout.builder("notify").u64le("cookie"), 8),
            opCase(PackedLayout.builder("assert_ver").pad("unused_head", 8).u64le("ver"), 16),
            opCase(PackedLayout.builder("clonerange").u64le("offset").u64le("length")
                    .u64le("src_offset"), 24),
            opCase(PackedLayout.builder("copy_get").u64le("max"), 8),
            opCase(PackedLayout.builder("copy_from").u64le("snapid").u64le("src_version")
                    .u8("flags").u32le("src_fadvise_flags"), 21),
            opCase(PackedLayout.builder("hit_set_get").struct("stamp", CEPH_TIMESPEC), 8),
            opCase(PackedLayout.builder("tmap2omap").u8("flags"), 1),
            opCase(PackedLayout.builder("alloc_hint").u64le("expected_object_size")
                    .u64le("expected_write_size").u32le("flags"), 20),
            opCase(PackedLayout.builder("writesame").u64le("offset").u64le("length")
                    .u64le("data_length"), 24),
            opCase(PackedLayout.builder("checksum").u64le("offset").u64le("length")
                    .u32le("chunk_size").u8("type"), 21));

    /** {@code struct ceph_osd_op}: one operation inside MOSDOp, 38 bytes. */
    public static final PackedLayout CEPH_OSD_OP = PackedLayout.builder("ceph_osd_op")
            .u16le("op")
            .u32le("flags")
            .union("u", 28, CEPH_OSD_OP_CASES.toArray(PackedLayout[]::new))
            .u32le("payload_len")
            .build(38);

    /**
     * {@code struct ceph_osd_request_head}: the packed MOSDOp front of 2010 (message header
     * version 1), 70 bytes, followed by {@code num_ops} ceph_osd_op, the object name, and
     * {@code num_snaps} u64 snap ids.
     */
    public static final PackedLayout CEPH_OSD_REQUEST_HEAD = PackedLayout.builder("ceph_osd_request_head")
            .u32le("client_inc")
            .struct("layout", CEPH_OBJECT_LAYOUT)
            .u32le("osdmap_epoch")
            .u32le("flags")
            .struct("mtime", CEPH_TIMESPEC)
            .struct("reassert_version", CEPH_EVERSION)
            .u32le("object_len")
            .u64le("snapid")
            .u64le("snap_seq")
            .u32le("num_snaps")
            .u16le("num_ops")
            .build(70);

    /** {@code struct ceph_osd_reply_head}: the packed MOSDOpReply front of 2010, 48 bytes. */
    public static final PackedLayout CEPH_OSD_REPLY_HEAD = PackedLayout.builder("ceph_osd_reply_head")
            .u32le("client_inc")
            .u32le("flags")
            .struct("layout", CEPH_OBJECT_LAYOUT)
            .u32le("osdmap_epoch")
            .struct("reassert_version", CEPH_EVERSION)
            .u32le("result")
            .u32le("object_len")
            .u32le("num_ops")
            .build(48);

    // ---- RBD format 1 (rbd_types.h) ------------------------------------------------------------

    /** The {@code options} struct inside the format 1 header: 4 bytes. */
    public static final PackedLayout RBD_HEADER_OPTIONS = PackedLayout.builder("rbd_obj_header_options")
            .u8("order")
            .u8("crypt_type")
            .u8("comp_type")
            .pad("unused", 1)
            .build(4);

    /**
     * {@code struct rbd_obj_header_ondisk}: the format 1 image header in object {@code NAME.rbd},
     * 112 bytes, followed by {@code snap_count} {@link #RBD_OBJ_HEADER_SNAP_ONDISK} and then
     * {@code snap_names_len} bytes of NUL-terminated snapshot names.
     */
    public static final PackedLayout RBD_OBJ_HEADER_ONDISK = PackedLayout.builder("rbd_obj_header_ondisk")
            .chars("text", 40)
            .chars("block_name", 24)
            .chars("signature", 4)
            .chars("version", 8)
            .struct("options", RBD_HEADER_OPTIONS)
            .u64le("image_size")
            .u64le("snap_seq")
            .u32le("snap_count")
            .pad("reserved", 4)
            .u64le("snap_names_len")
            .build(112);

    /** {@code struct rbd_obj_snap_ondisk}: one snapshot of a format 1 image, 16 bytes. */
    public static final PackedLayout RBD_OBJ_HEADER_SNAP_ONDISK = PackedLayout.builder("rbd_obj_snap_ondisk")
            .u64le("id")
            .u64le("image_size")
            .build(16);

    /** Every declared struct, for the gcc layout properties and the hex dump tool. */
    public static final List<PackedLayout> ALL = List.of(
            CEPH_TIMESPEC, CEPH_EVERSION, CEPH_PG, CEPH_OBJECT_LAYOUT,
            CEPH_ENTITY_NAME, CEPH_ENTITY_ADDR, CEPH_ENTITY_INST,
            CEPH_MSG_CONNECT, CEPH_MSG_CONNECT_REPLY, CEPH_MSG_HEADER, CEPH_MSG_HEADER2,
            CEPH_MSG_FOOTER, CEPH_MSG_FOOTER_OLD,
            MSGR2_SEGMENT, MSGR2_PREAMBLE, MSGR2_EPILOGUE_CRC_REV1, MSGR2_EPILOGUE_CRC_REV0,
            MSGR2_EPILOGUE_SECURE_REV1, MSGR2_EPILOGUE_SECURE_REV0, MSGR2_SECURE_HEAD, MSGR2_BANNER,
            CEPH_OSD_OP, CEPH_OSD_REQUEST_HEAD, CEPH_OSD_REPLY_HEAD,
            RBD_HEADER_OPTIONS, RBD_OBJ_HEADER_ONDISK, RBD_OBJ_HEADER_SNAP_ONDISK);
}
