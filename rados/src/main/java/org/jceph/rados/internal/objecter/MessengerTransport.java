package org.jceph.rados.internal.objecter;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.encoding.types.EntityAddrVec;
import org.jceph.messenger.AddressPolicy;
import org.jceph.messenger.Connection;
import org.jceph.messenger.ConnectionException;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.Message;
import org.jceph.messenger.Messenger;
import org.jceph.messenger.auth.ServiceTicket;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.mon.MonSession;
import org.jceph.messenger.v2.ConnectionMode;
import org.jceph.osdmap.OsdMap;

/**
 * The real {@link Transport}: OSD sessions through the messenger, msgr2 unless the OSD has only a
 * legacy address or ms_jceph_force_msgr1 is set, authenticated with the OSD service ticket the
 * monitor session holds.
 */
public final class MessengerTransport implements Transport {
    private final Messenger messenger;
    private final MonSession mon;
    private final CephConfig config;

    /**
     * @param messenger the messenger
     * @param mon the monitor session (for the ticket and our global id)
     * @param config our name, modes and connect timeout
     */
    public MessengerTransport(Messenger messenger, MonSession mon, CephConfig config) {
        this.messenger = messenger;
        this.mon = mon;
        this.config = config;
    }

    @Override
    public CompletableFuture<Link> open(int osd, OsdMap map, Consumer<Message> inbound) {
        EntityAddrVec addrs = osd < map.clientAddrs().size() ? map.clientAddrs().get(osd) : null;
        EntityAddr addr = addrs == null ? null : AddressPolicy.pick(addrs, config.useMsgr2());
        if (addr == null) {
            return CompletableFuture.failedFuture(new ConnectionException("osd." + osd + " has no "
                    + AddressPolicy.wanted(config.useMsgr2()) + " in epoch " + map.epoch()));
        }
        ServiceTicket ticket = mon.connection().serviceTickets().get(EntityName.TYPE_OSD);
        List<ConnectionMode> modes = config.clientModes().stream().map(ConnectionMode::parse).toList();
        return messenger.connectToService(addr, EntityName.TYPE_OSD, config.name(), ticket, mon.connection().globalId(),
                modes, config.connectTimeout(), inbound).thenApply(MessengerTransport::link);
    }

    private static Link link(Connection c) {
        return new Link() {
            @Override
            public CompletableFuture<Void> send(Message m) {
                return c.send(m);
            }

            @Override
            public CompletableFuture<Void> closed() {
                return c.closeFuture();
            }

            @Override
            public void close() {
                c.close();
            }

            @Override
            public String toString() {
                return c.toString();
            }
        };
    }
}
