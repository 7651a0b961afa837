/** MonClient, the Objecter and the public Rados/IoCtx API. */
module org.jceph.rados {
    requires transitive org.jceph.osdmap;
    requires transitive org.jceph.messenger;
    requires com.fasterxml.jackson.databind;

    exports org.jceph.rados;
}
