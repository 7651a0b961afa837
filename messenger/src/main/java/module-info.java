/** msgr2/msgr1 connections, cephx and auth none, ceph.conf and keyrings. */
module org.jceph.messenger {
    requires transitive org.jceph.encoding;
    requires io.netty.transport;
}
