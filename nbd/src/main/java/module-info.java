/** An NBD server exporting RBD images. */
module org.jceph.nbd {
    requires transitive org.jceph.rbd;
}
