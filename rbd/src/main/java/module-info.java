/** RBD images, format 2 and format 1. */
module org.jceph.rbd {
    requires transitive org.jceph.rados;
    requires org.slf4j;

    exports org.jceph.rbd;
    exports org.jceph.rbd.cache;
    exports org.jceph.rbd.layout;
    exports org.jceph.rbd.format1;
}
