/** The jceph command. */
module org.jceph.cli {
    requires org.jceph.nbd;
    requires org.jceph.rbd;
    requires org.jceph.rados;
    requires org.jceph.osdmap;
    requires org.jceph.crush;
    requires org.jceph.messenger;
    requires org.jceph.encoding;
    requires io.netty.buffer;
    requires jdk.management;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires org.slf4j.simple;
    // SLF4J instantiates the binding by name (Main sets slf4j.provider)
    exports org.jceph.cli.log to org.slf4j;
}
