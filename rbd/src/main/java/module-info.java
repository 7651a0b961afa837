/** RBD images, format 2 and format 1. */
module org.jceph.rbd {
    requires transitive org.jceph.rados;

    exports org.jceph.rbd;
    exports org.jceph.rbd.layout;
    exports org.jceph.rbd.format1;
}
