/** MonClient, the Objecter and the public Rados/IoCtx API. */
module org.jceph.rados {
    requires transitive org.jceph.osdmap;
    requires transitive org.jceph.messenger;
    // optional: only RadosClient.monCommandJson parses JSON; add jackson-databind to use it
    requires static com.fasterxml.jackson.databind;

    exports org.jceph.rados;
}
