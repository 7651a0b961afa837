/** An optional Micrometer binder for a RADOS client's metrics. */
module org.jceph.micrometer {
    requires transitive org.jceph.rados;
    requires transitive micrometer.core;

    exports org.jceph.micrometer;
}
