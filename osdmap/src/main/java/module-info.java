/** OSDMap snapshots and the placement pipeline. */
module org.jceph.osdmap {
    requires transitive org.jceph.crush;
    requires transitive org.jceph.encoding;

    exports org.jceph.osdmap;
}
