/** MonClient, the Objecter and the public Rados/IoCtx API. */
module org.jceph.rados {
    requires transitive org.jceph.osdmap;
    requires transitive org.jceph.messenger;
    requires transitive com.fasterxml.jackson.databind; // monCommandJson returns JsonNode

    exports org.jceph.rados;
}
