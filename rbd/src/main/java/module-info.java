/** RBD images, format 2 and format 1. */
module org.jceph.rbd {
    requires transitive org.jceph.rados;
}
