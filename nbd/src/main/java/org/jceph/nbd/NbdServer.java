package org.jceph.nbd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jceph.nbd.internal.NbdConnection;

/**
 * A pure-Java NBD server (fixed newstyle handshake, structured replies, base:allocation) on a
 * TCP address or a Unix socket. Each connection gets a reader thread; replies go out as the
 * exports' futures complete, at most {@code queueDepth} requests in flight per connection.
 *
 * <p>{@link #close()} is the clean shutdown: stop accepting, stop reading new requests, let every
 * request already read finish, flush every writable export, then close.
 */
public final class NbdServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("org.jceph.nbd");

    private final Map<String, NbdExport> exports;
    private final SocketAddress bindAddress;
    private final NbdConnection.Settings settings;
    private final Set<NbdConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nbd-timer");
        t.setDaemon(true);
        return t;
    });
    private ServerSocketChannel listener;
    private Thread acceptor;
    private volatile boolean closed;

    private NbdServer(Builder b) {
        this.exports = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.exports)); // keeps the default first
        this.bindAddress = b.bind;
        this.settings = new NbdConnection.Settings(b.queueDepth, b.maxPayload, b.handshakeTimeout, b.drainTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts accepting. */
    public NbdServer start() throws IOException {
        if (bindAddress instanceof UnixDomainSocketAddress unix) {
            Files.deleteIfExists(unix.getPath());
            listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            listener = ServerSocketChannel.open();
        }
        listener.bind(bindAddress);
        acceptor = new Thread(this::acceptLoop, "nbd-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("NBD server on {} exporting {}", localAddress(), exports.keySet());
        return this;
    }

    public SocketAddress localAddress() {
        try {
            return listener.getLocalAddress();
        } catch (IOException e) {
            return bindAddress;
        }
    }

    public Set<String> exportNames() {
        return exports.keySet();
    }

    private void acceptLoop() {
        int n = 0;
        while (!closed) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accept failed: {}", e.toString());
                }
                return;
            }
            String peer;
            try {
                SocketAddress r = ch.getRemoteAddress();
                peer = "nbd client " + (r == null || r.toString().isEmpty() ? "#" + n : r);
            } catch (IOException e) {
                peer = "nbd client #" + n;
            }
            n++;
            NbdConnection c = new NbdConnection(ch, exports, settings, timer, peer);
            connections.add(c);
            Thread t = new Thread(() -> {
                try {
                    c.run();
                } finally {
                    connections.remove(c);
                }
            }, peer);
            t.setDaemon(true);
            synchronized (threads) {
                threads.removeIf(x -> !x.isAlive());
                threads.add(t);
            }
            t.start();
        }
    }

    /** Clean shutdown: in-flight requests finish and writable exports are flushed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(NbdConnection::shutdown);
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        List<Thread> ts;
        synchronized (threads) {
            ts = new ArrayList<>(threads);
        }
        for (Thread t : ts) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    t.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (NbdExport e : exports.values()) {
            if (!e.readOnly()) {
                try {
                    e.flush().get(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception ex) {
                    LOG.warn("flush of {} at shutdown failed: {}", e.name(), ex.toString());
                }
            }
        }
        timer.shutdownNow();
        if (bindAddress instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Server settings; every bound has a default. */
    public static final class Builder {
        private final Map<String, NbdExport> exports = new LinkedHashMap<>();
        private SocketAddress bind = new InetSocketAddress("127.0.0.1", 10809);
        private int queueDepth = 64;
        private int maxPayload = 32 * 1024 * 1024;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration drainTimeout = Duration.ofSeconds(60);

        /** Adds an export; the first one added is the default export (empty name). */
        public Builder export(NbdExport e) {
            if (exports.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException("two exports named '" + e.name() + "'");
            }
            return this;
        }

        public Builder bindTcp(InetSocketAddress a) {
            this.bind = a;
            return this;
        }

        public Builder bindUnix(Path socket) {
            this.bind = UnixDomainSocketAddress.of(socket);
            return this;
        }

        /** Requests in flight per connection before the server stops reading (default 64). */
        public Builder queueDepth(int n) {
            if (n < 1 || n > 4096) {
                throw new IllegalArgumentException("queue depth " + n + " is outside 1..4096");
            }
            this.queueDepth = n;
            return this;
        }

        /** Largest READ/WRITE accepted (default 32 MiB, as qemu's NBD server). */
        public Builder maxPayload(int bytes) {
            if (bytes < 4096) {
                throw new IllegalArgumentException("max payload " + bytes + " is below 4096");
            }
            this.maxPayload = bytes;
            return this;
        }

        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = d;
            return this;
        }

        /** How long shutdown and disconnects wait for in-flight requests (default 60 s). */
        public Builder drainTimeout(Duration d) {
            this.drainTimeout = d;
            return this;
        }

        public NbdServer build() {
            if (exports.isEmpty()) {
                throw new IllegalStateException("an NBD server needs at least one export");
            }
            return new NbdServer(this);
        }
    }
}
