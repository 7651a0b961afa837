/** Ceph encoding rules: primitives, versioned envelopes, packed struct layouts, CRC32C, feature bits. */
module org.jceph.encoding {
    requires transitive io.netty.buffer;
    requires io.netty.common;

    exports org.jceph.encoding;
    exports org.jceph.encoding.packed;
    exports org.jceph.encoding.types;
}
