package org.jceph.rbd.mirror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jceph.encoding.types.EntityAddr;
import org.jceph.messenger.EntityName;
import org.jceph.messenger.config.CephConfig;
import org.jceph.messenger.mon.MonMap;
import org.jceph.rados.Errno;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.mirror.MirrorTypes.Direction;
import org.jceph.rbd.mirror.MirrorTypes.Mode;
import org.jceph.rbd.mirror.MirrorTypes.Peer;

/**
 * Peer bootstrap (librbd's mirror_peer_bootstrap_create / _import): a base64 token carrying what
 * a remote site needs to reach this cluster (fsid, a cephx user made for the purpose, its key and
 * the monitors), and its import, which connects to the remote cluster, checks it is another one,
 * adds it as the pool's peer with the key and monitors as attributes and, for rx-tx, does the same
 * the other way round. Keys never reach logs or exception messages.
 */
public final class PeerBootstrap {
    /** The config-key naming the cephx user bootstrap tokens carry (librbd's choice, made once). */
    public static final String PEER_CLIENT_ID_KEY = "rbd/mirror/peer_client_id";

    /** The user librbd makes when the config-key above is unset. */
    public static final String DEFAULT_CLIENT_ID = "rbd-mirror-peer";

    /** require_osd_release of Tentacle, whose import refuses an undecodable key with EACCES. */
    private static final int RELEASE_TENTACLE = 20;

    private static final Pattern KEY_FIELD = Pattern.compile("\"key\"\\s*:\\s*\"([A-Za-z0-9+/=]+)\"");

    private PeerBootstrap() {
    }

    /**
     * A decoded token. {@link #toString()} leaves the key out.
     *
     * @param fsid the issuing cluster's fsid
     * @param clientId the cephx user id, without {@code client.}
     * @param key the user's secret
     * @param monHost the issuing cluster's monitors, as Ceph prints them
     */
    public record Token(String fsid, String clientId, String key, String monHost) {
        /**
         * The token text: base64 of the JSON object librbd writes (same field order, no spaces).
         *
         * @return the token
         */
        public String encode() {
            String json = "{\"fsid\":\"" + fsid + "\",\"client_id\":\"" + clientId + "\",\"key\":\"" + key
                    + "\",\"mon_host\":\"" + monHost.replace("\"", "\\\"") + "\"}";
            return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Reads a token (line breaks ignored, as Ceph's base64 decoder does).
         *
         * @param text the token
         * @return its fields
         * @throws RbdException EINVAL for bad base64 or JSON without the four string fields; the
         *     message never quotes the token
         */
        public static Token decode(String text) {
            String compact = text.replace("\n", "").replace("\r", "");
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(compact);
            } catch (IllegalArgumentException e) {
                throw new RbdException(Errno.EINVAL.negative(), "bootstrap token is not valid base64");
            }
            SortedMap<String, String> m;
            try {
                m = FlatJson.parse(new String(raw, StandardCharsets.UTF_8));
            } catch (RbdException e) {
                throw new RbdException(Errno.EINVAL.negative(), "invalid bootstrap token JSON");
            }
            for (String f : List.of("fsid", "client_id", "key", "mon_host")) {
                if (!m.containsKey(f)) {
                    throw new RbdException(Errno.EINVAL.negative(), "invalid bootstrap token JSON: no " + f);
                }
            }
            return new Token(m.get("fsid"), m.get("client_id"), m.get("key"), m.get("mon_host"));
        }

        @Override
        public String toString() {
            return "Token[fsid=" + fsid + ", client_id=" + clientId + ", key=<redacted>, mon_host=" + monHost + "]";
        }
    }

    /** The cephx user and its key (bootstrap's user). */
    record User(String clientId, String key) {
        @Override
        public String toString() {
            return "User[" + clientId + ", key=<redacted>]";
        }
    }

    /**
     * rbd_mirror_peer_bootstrap_create: EINVAL when the pool does not mirror; EEXIST when the
     * bootstrap user exists with other caps.
     *
     * @param io the pool
     * @return the token text
     */
    public static String create(IoCtx io) {
        if (MirrorPool.modeGet(io) == Mode.DISABLED) {
            throw new RbdException(Errno.EINVAL.negative(), "mirroring is not enabled on the pool");
        }
        RadosClient client = io.client();
        User u = bootstrapUser(client);
        return new Token(client.fsid().toString(), u.clientId(), u.key(), monHost(client)).encode();
    }

    /**
     * The monitors as librbd's get_mon_host prints them: each monitor's address vector (one
     * address bare, more in brackets), comma-separated, monitors in name order.
     *
     * @param client the cluster
     * @return the text
     */
    public static String monHost(RadosClient client) {
        List<MonMap.Monitor> mons = new ArrayList<>(client.monMap().monitors());
        mons.sort(Comparator.comparing(MonMap.Monitor::name));
        List<String> parts = new ArrayList<>();
        for (MonMap.Monitor m : mons) {
            List<EntityAddr> v = m.addrs().addrs();
            if (v.size() == 1) {
                parts.add(v.get(0).toString());
            } else {
                List<String> each = new ArrayList<>();
                v.forEach(a -> each.add(a.toString()));
                parts.add("[" + String.join(",", each) + "]");
            }
        }
        return String.join(",", parts);
    }

    /** librbd's create_bootstrap_user: the user named in config-key (made once), get-or-create. */
    static User bootstrapUser(RadosClient client) {
        String id;
        try {
            id = client.monCommand(Map.of("prefix", "config-key get", "key", PEER_CLIENT_ID_KEY));
        } catch (RadosException.NotFoundException e) {
            id = "";
        }
        if (id.isEmpty()) {
            id = DEFAULT_CLIENT_ID;
            client.monCommand(Map.of("prefix", "config-key set", "key", PEER_CLIENT_ID_KEY, "val", id));
        }
        String out;
        try {
            Map<String, Object> cmd = new java.util.LinkedHashMap<>();
            cmd.put("prefix", "auth get-or-create");
            cmd.put("entity", "client." + id);
            cmd.put("caps", List.of("mon", "profile rbd-mirror-peer", "osd", "profile rbd"));
            out = client.monCommand(cmd);
        } catch (RadosException e) {
            if (Math.abs(e.errno()) == Errno.EINVAL.number()) {
                throw new RbdException(Errno.EEXIST.negative(), "client." + id + " exists with other caps");
            }
            throw e;
        }
        Matcher m = KEY_FIELD.matcher(out);
        if (!m.find()) {
            throw new RbdException(Errno.EBADMSG.negative(), "invalid auth keyring JSON received");
        }
        return new User(id, m.group(1));
    }

    /** Opens a client on the cluster a token names. */
    @FunctionalInterface
    public interface Connector {
        /**
         * @param token the token
         * @return a connected client (the caller closes it)
         * @throws IOException when it cannot connect
         */
        RadosClient connect(Token token) throws IOException;
    }

    /** Connects as the token's user to the token's monitors, with nothing read from conf files. */
    public static final Connector DEFAULT_CONNECTOR = t -> RadosClient.connect(CephConfig.builder()
            .name(EntityName.client(t.clientId())).monHost(t.monHost()).set("key", t.key())
            .set("keyring", "").build());

    /**
     * rbd_mirror_peer_bootstrap_import.
     *
     * @param io the local pool
     * @param direction rx-only or rx-tx (anything else: EINVAL)
     * @param tokenText the token
     * @param connector how to reach the remote cluster
     * @throws RbdException EINVAL (bad token, own cluster, fsid mismatch, same site name, a
     *     different peer already there; a key that is no cephx key before Tentacle, EACCES from
     *     Tentacle on), ENOENT (no such remote pool), ENOSYS (remote pool does not mirror), or the
     *     remote connection's error
     */
    public static void importToken(IoCtx io, Direction direction, String tokenText, Connector connector) {
        if (direction != Direction.RX_ONLY && direction != Direction.RX_TX) {
            throw new RbdException(Errno.EINVAL.negative(), "invalid mirror peer direction");
        }
        Token t = Token.decode(tokenText);
        RadosClient local = io.client();
        String localFsid = local.fsid().toString();
        String localSite = MirrorPool.siteNameGet(local);
        RadosClient remote;
        try {
            remote = connector.connect(t);
        } catch (IOException e) {
            throw new RbdException(Errno.ENOTCONN.negative(), "failed to connect to peer cluster");
        } catch (RadosException e) {
            throw new RbdException(e.errno(), "failed to connect to peer cluster");
        } catch (org.jceph.encoding.DecodeException e) {
            // Pacific's and Reef's librados refuse such a key (EINVAL); Tentacle's drops it, tries
            // without authentication and is refused by the monitor (EACCES)
            boolean tentacle = local.osdMap().requireOsdRelease() >= RELEASE_TENTACLE;
            throw new RbdException(tentacle ? Errno.EACCES.negative() : Errno.EINVAL.negative(),
                    "bootstrap token's key is not a cephx key");
        } catch (IllegalArgumentException | IllegalStateException e) {
            // an unusable mon_host: none at all is librados' "no monitors" (ENOENT)
            throw new RbdException(t.monHost().isBlank() ? Errno.ENOENT.negative() : Errno.EINVAL.negative(),
                    "bootstrap token's mon_host is not usable");
        }
        try (remote) {
            String remoteFsid = remote.fsid().toString();
            if (remoteFsid.equals(localFsid)) {
                throw new RbdException(Errno.EINVAL.negative(), "cannot import token for local cluster");
            }
            if (!remoteFsid.equals(t.fsid())) {
                throw new RbdException(Errno.EINVAL.negative(), "unexpected remote cluster fsid");
            }
            String remoteSite = MirrorPool.siteNameGet(remote);
            if (remoteSite.equals(localSite)) {
                throw new RbdException(Errno.EINVAL.negative(), "cannot import token for duplicate site name");
            }
            IoCtx remoteIo;
            try {
                remoteIo = remote.ioCtx(io.poolName());
            } catch (RadosException.NotFoundException e) {
                throw new RbdException(Errno.ENOENT.negative(), "remote pool does not exist");
            }
            Mode remoteMode = MirrorPool.modeGet(remoteIo);
            if (remoteMode == Mode.DISABLED) {
                throw new RbdException(Errno.ENOSYS.negative(), "mirroring is not enabled on remote peer");
            }
            if (MirrorPool.modeGet(io) == Mode.DISABLED) {
                MirrorPool.modeSet(io, remoteMode);
            }
            if (direction == Direction.RX_TX) {
                User u = bootstrapUser(local);
                addPeer(remoteIo, Direction.RX_TX, localSite, localFsid, u.clientId(), u.key(), monHost(local));
            }
            addPeer(io, direction, remoteSite, remoteFsid, t.clientId(), t.key(), t.monHost());
        }
    }

    /** librbd's create_bootstrap_peer: one peer per pool, renamed from its fsid if need be. */
    private static void addPeer(IoCtx io, Direction direction, String siteName, String fsid, String clientId,
            String key, String monHost) {
        List<Peer> peers = MirrorPool.peers(io);
        String uuid;
        if (peers.isEmpty()) {
            uuid = MirrorPool.peerAdd(io, siteName, "client." + clientId, direction);
        } else if (!peers.get(0).siteName().equals(siteName) && !peers.get(0).siteName().equals(fsid)) {
            throw new RbdException(Errno.EINVAL.negative(), "multiple peers are not currently supported");
        } else {
            uuid = peers.get(0).uuid();
            if (!peers.get(0).siteName().equals(siteName)) {
                try {
                    MirrorPool.peerSetName(io, uuid, siteName);
                } catch (RbdException | RadosException e) {
                    // as librbd: renaming is best effort
                }
            }
        }
        MirrorPool.peerSetAttributes(io, uuid, new TreeMap<>(Map.of(MirrorPool.ATTR_MON_HOST, monHost,
                MirrorPool.ATTR_KEY, key)));
    }
}
