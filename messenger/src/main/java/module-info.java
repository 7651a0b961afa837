/** msgr2/msgr1 connections, cephx and auth none, ceph.conf and keyrings. */
module org.jceph.messenger {
    requires transitive org.jceph.encoding;
    requires io.netty.transport;
    requires io.netty.common;
    requires org.slf4j;
    // aircompressor 2.x has no module descriptor or Automatic-Module-Name: the name comes from its jar
    requires aircompressor;
    // aircompressor reads memory with sun.misc.Unsafe: make sure jdk.unsupported is resolved on a module path
    requires jdk.unsupported;

    exports org.jceph.messenger;
    exports org.jceph.messenger.auth;
    exports org.jceph.messenger.config;
    exports org.jceph.messenger.mon;
    exports org.jceph.messenger.v1;
    exports org.jceph.messenger.v2;
    // the codecs, for `jceph decode --pcap` to inflate compressed msgr2 frames
    exports org.jceph.messenger.internal.compress to org.jceph.cli;
    // the frame reader, for the generated protocol reference to take message fronts from captures,
    // and the frame codec for its JMH benchmarks
    exports org.jceph.messenger.internal.v2 to org.jceph.cli, org.jceph.benchmarks;
}
