/** An NBD server exporting block devices (RBD images) to qemu, the kernel and any NBD client. */
module org.jceph.nbd {
    requires transitive org.jceph.rbd;
    requires org.slf4j;

    exports org.jceph.nbd;
    exports org.jceph.nbd.internal to org.jceph.benchmarks; // NbdServerBenchmark drives a connection
}
