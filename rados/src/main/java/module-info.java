/** MonClient, the Objecter and the public Rados/IoCtx API. */
module org.jceph.rados {
    requires transitive org.jceph.osdmap;
    requires transitive org.jceph.messenger;
    requires org.slf4j;
    // the RadosClient MXBean (metrics over JMX)
    requires transitive java.management;
    // optional: only RadosClient.monCommandJson parses JSON; add jackson-databind to use it
    requires static com.fasterxml.jackson.databind;

    exports org.jceph.rados;
    // the message codecs, for the generated protocol reference (docs/protocol/messages.md) and
    // the JMH benchmark of reply decoding
    exports org.jceph.rados.internal to org.jceph.cli, org.jceph.benchmarks;
}
