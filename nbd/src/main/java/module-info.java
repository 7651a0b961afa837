/** An NBD server exporting block devices (RBD images) to qemu, the kernel and any NBD client. */
module org.jceph.nbd {
    requires transitive org.jceph.rbd;

    exports org.jceph.nbd;
}
