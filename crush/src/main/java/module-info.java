/** CRUSH maps and the mapper. */
module org.jceph.crush {
    requires transitive org.jceph.encoding;

    exports org.jceph.crush;
}
