/** RBD images, format 2 and format 1. */
module org.jceph.rbd {
    requires transitive org.jceph.rados;
    requires org.slf4j;
    requires org.bouncycastle.provider;

    exports org.jceph.rbd;
    exports org.jceph.rbd.mirror;
    exports org.jceph.rbd.cache;
    exports org.jceph.rbd.layout;
    exports org.jceph.rbd.format1;
    exports org.jceph.rbd.crypto;
}
