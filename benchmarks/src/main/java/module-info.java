/** JMH benchmarks of the hot paths. */
module org.jceph.benchmarks {
    requires org.jceph.crush;
    requires org.jceph.osdmap;
    requires org.jceph.encoding;
    requires org.jceph.messenger;
    requires org.jceph.rados;
    requires org.jceph.rbd;
    requires org.jceph.nbd;
    // FrameCpu: per-thread CPU time and allocated bytes
    requires jdk.management;
    requires jmh.core;
    requires io.netty.buffer;
}
