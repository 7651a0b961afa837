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
}
