package org.jceph.nbd.internal;

import static org.jceph.nbd.internal.Nbd.*;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jceph.nbd.NbdExport;
import org.jceph.nbd.NbdIoException;

/**
 * One client connection: the fixed-newstyle handshake, then the transmission phase.
 *
 * <pre>
 *   HANDSHAKE ──(OPT_GO / OPT_EXPORT_NAME)──▶ TRANSMISSION ──(DISC, EOF, server shutdown)──▶ DRAINING ──▶ CLOSED
 *       └──(OPT_ABORT, bad magic, timeout)──────────────────────────────────────────────────────────────▶ CLOSED
 * </pre>
 *
 * A reader thread parses requests and hands them to the export; replies are written as the
 * export's futures complete, so they leave out of order. A semaphore bounds the requests in
 * flight: when it is exhausted the reader stops reading, and TCP back-pressure reaches the client.
 * Before the connection closes, every request already read is allowed to finish, so a write the
 * client saw acknowledged is never dropped.
 */
public final class NbdConnection implements Runnable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("org.jceph.nbd");
    private static final int MAX_OPTION_BYTES = 64 * 1024;
    private static final int MAX_OPTIONS = 128;
    private static final int ALLOCATION_CONTEXT_ID = 1;

    /** Server settings a connection needs. */
    public record Settings(int queueDepth, int maxPayload, Duration handshakeTimeout, Duration drainTimeout) {
    }

    private final SocketChannel channel;
    private final Map<String, NbdExport> exports;
    private final Settings settings;
    private final ScheduledExecutorService timer;
    private final Semaphore inFlight;
    private final Object writeLock = new Object();
    /** The gathering write's two buffers (header, data), reused: guarded by writeLock. */
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private final String peer;
    /** Payload buffers of READ replies and WRITE requests, reused (64 MiB idle at most). */
    private final DirectBuffers buffers = new DirectBuffers(64L << 20);

    private boolean structured;
    private boolean noZeroes;
    private boolean allocationContext;
    private volatile boolean closing;

    public NbdConnection(SocketChannel channel, Map<String, NbdExport> exports, Settings settings,
            ScheduledExecutorService timer, String peer) {
        this.channel = channel;
        this.exports = exports;
        this.settings = settings;
        this.timer = timer;
        this.inFlight = new Semaphore(settings.queueDepth());
        this.peer = peer;
    }

    /** Stops reading new requests; requests already read finish, then the connection closes. */
    public void shutdown() {
        closing = true;
        try {
            channel.shutdownInput();
        } catch (IOException e) {
            closeQuietly();
        }
    }

    @Override
    public void run() {
        NbdExport export = null;
        try {
            ScheduledFuture<?> watchdog = timer.schedule(this::closeQuietly, settings.handshakeTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                export = handshake();
            } finally {
                watchdog.cancel(false);
            }
            if (export != null) {
                LOG.debug("{}: serving export", peer);
                transmission(export);
            }
        } catch (EOFException e) {
            LOG.debug("{}: client closed the connection", peer);
        } catch (ProtocolException e) {
            LOG.warn("{}: protocol error, closing: {}", peer, e.getMessage());
        } catch (IOException e) {
            if (!closing) {
                LOG.debug("{}: {}", peer, e.toString());
            }
        } finally {
            drain(export);
            closeQuietly();
        }
    }

    // ---- handshake -------------------------------------------------------------------------

    private NbdExport handshake() throws IOException {
        ByteBuffer hello = ByteBuffer.allocate(18);
        hello.putLong(NBDMAGIC).putLong(IHAVEOPT).putShort((short) (FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES)).flip();
        writeFully(hello);
        int clientFlags = readBuffer(4).getInt();
        if ((clientFlags & FLAG_C_FIXED_NEWSTYLE) == 0) {
            throw new ProtocolException("client does not speak fixed newstyle (flags " + clientFlags + ")");
        }
        if ((clientFlags & ~(FLAG_C_FIXED_NEWSTYLE | FLAG_C_NO_ZEROES)) != 0) {
            throw new ProtocolException("unknown client flags " + Integer.toHexString(clientFlags));
        }
        noZeroes = (clientFlags & FLAG_C_NO_ZEROES) != 0;
        for (int n = 0; n < MAX_OPTIONS; n++) {
            ByteBuffer head = readBuffer(16);
            long magic = head.getLong();
            int option = head.getInt();
            long length = Integer.toUnsignedLong(head.getInt());
            if (magic != IHAVEOPT) {
                throw new ProtocolException("option magic " + Long.toHexString(magic));
            }
            if (length > MAX_OPTION_BYTES) {
                throw new ProtocolException("option " + option + " of " + length + " bytes");
            }
            ByteBuffer data = readBuffer((int) length);
            NbdExport chosen = option(option, data);
            if (chosen != null) {
                return chosen;
            }
            if (option == OPT_ABORT) {
                return null;
            }
        }
        throw new ProtocolException("more than " + MAX_OPTIONS + " options");
    }

    /** Handles one option; returns the export when the client moves to transmission. */
    private NbdExport option(int option, ByteBuffer data) throws IOException {
        switch (option) {
            case OPT_EXPORT_NAME -> {
                NbdExport e = lookup(string(data, data.remaining()));
                if (e == null) {
                    throw new ProtocolException("unknown export requested with NBD_OPT_EXPORT_NAME");
                }
                ByteBuffer b = ByteBuffer.allocate(noZeroes ? 10 : 134);
                b.putLong(e.size()).putShort((short) transmissionFlags(e));
                b.position(b.limit()).flip();
                writeFully(b);
                return e;
            }
            case OPT_ABORT -> {
                reply(option, REP_ACK, ByteBuffer.allocate(0));
                return null;
            }
            case OPT_LIST -> {
                if (data.hasRemaining()) {
                    reply(option, REP_ERR_INVALID, ByteBuffer.allocate(0));
                    return null;
                }
                for (NbdExport e : exports.values()) {
                    byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
                    byte[] text = e.description().getBytes(StandardCharsets.UTF_8);
                    ByteBuffer b = ByteBuffer.allocate(4 + name.length + text.length).putInt(name.length).put(name)
                            .put(text).flip();
                    reply(option, REP_SERVER, b);
                }
                reply(option, REP_ACK, ByteBuffer.allocate(0));
                return null;
            }
            case OPT_STARTTLS -> {
                reply(option, REP_ERR_POLICY, ByteBuffer.allocate(0));
                return null;
            }
            case OPT_INFO, OPT_GO -> {
                return infoOrGo(option, data);
            }
            case OPT_STRUCTURED_REPLY -> {
                if (data.hasRemaining()) {
                    reply(option, REP_ERR_INVALID, ByteBuffer.allocate(0));
                } else {
                    structured = true;
                    reply(option, REP_ACK, ByteBuffer.allocate(0));
                }
                return null;
            }
            case OPT_LIST_META_CONTEXT, OPT_SET_META_CONTEXT -> {
                metaContext(option, data);
                return null;
            }
            default -> {
                reply(option, REP_ERR_UNSUP, ByteBuffer.allocate(0));
                return null;
            }
        }
    }

    private NbdExport infoOrGo(int option, ByteBuffer data) throws IOException {
        if (data.remaining() < 6) {
            reply(option, REP_ERR_INVALID, ByteBuffer.allocate(0));
            return null;
        }
        int nameLen = data.getInt();
        if (nameLen < 0 || nameLen > data.remaining() - 2) {
            reply(option, REP_ERR_INVALID, ByteBuffer.allocate(0));
            return null;
        }
        String name = string(data, nameLen);
        int requests = Short.toUnsignedInt(data.getShort());
        if (data.remaining() != 2 * requests) {
            reply(option, REP_ERR_INVALID, ByteBuffer.allocate(0));
            return null;
        }
        boolean wantName = false;
        boolean wantDescription = false;
        for (int i = 0; i < requests; i++) {
            int info = Short.toUnsignedInt(data.getShort());
            wantName |= info == INFO_NAME;
            wantDescription |= info == INFO_DESCRIPTION;
        }
        NbdExport e = lookup(name);
        if (e == null) {
            reply(option, REP_ERR_UNKNOWN, ByteBuffer.allocate(0));
            return null;
        }
        reply(option, REP_INFO, ByteBuffer.allocate(12).putShort((short) INFO_EXPORT).putLong(e.size())
                .putShort((short) transmissionFlags(e)).flip());
        if (wantName) {
            byte[] n = e.name().getBytes(StandardCharsets.UTF_8);
            reply(option, REP_INFO, ByteBuffer.allocate(2 + n.length).putShort((short) INFO_NAME).put(n).flip());
        }
        if (wantDescription && !e.description().isEmpty()) {
            byte[] d = e.description().getBytes(StandardCharsets.UTF_8);
            reply(option, REP_INFO, ByteBuffer.allocate(2 + d.length).putShort((short) INFO_DESCRIPTION).put(d).flip());
        }
        reply(option, REP_INFO, ByteBuffer.allocate(14).putShort((short) INFO_BLOCK_SIZE).putInt(1)
                .putInt(Math.min(e.preferredBlockSize(), settings.maxPayload())).putInt(settings.maxPayload()).flip());
        reply(option, REP_ACK, ByteBuffer.allocate(0));
        return option == OPT_GO ? e : null;
    }

    private void metaContext(int option, ByteBuffer data) throws IOException {
        if (option == OPT_SET_META_CONTEXT && !structured) {
            reply(option, REP_ERR_INVALID, ByteBuffer.allocate(0));
            return;
        }
        if (data.remaining() < 8) {
            reply(option, REP_ERR_INVALID, ByteBuffer.allocate(0));
            return;
        }
        int nameLen = data.getInt();
        if (nameLen < 0 || nameLen > data.remaining() - 4) {
            reply(option, REP_ERR_INVALID, ByteBuffer.allocate(0));
            return;
        }
        NbdExport e = lookup(string(data, nameLen));
        int queries = data.getInt();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            if (data.remaining() < 4) {
                reply(option, REP_ERR_INVALID, ByteBuffer.allocate(0));
                return;
            }
            int len = data.getInt();
            if (len < 0 || len > data.remaining()) {
                reply(option, REP_ERR_INVALID, ByteBuffer.allocate(0));
                return;
            }
            names.add(string(data, len));
        }
        if (e == null) {
            reply(option, REP_ERR_UNKNOWN, ByteBuffer.allocate(0));
            return;
        }
        boolean match = false;
        if (option == OPT_LIST_META_CONTEXT && names.isEmpty()) {
            match = true;
        }
        for (String q : names) {
            match |= q.equals(BASE_ALLOCATION) || (option == OPT_LIST_META_CONTEXT && q.equals("base:"));
        }
        if (match) {
            byte[] n = BASE_ALLOCATION.getBytes(StandardCharsets.US_ASCII);
            reply(option, REP_META_CONTEXT, ByteBuffer.allocate(4 + n.length).putInt(ALLOCATION_CONTEXT_ID).put(n).flip());
        }
        if (option == OPT_SET_META_CONTEXT) {
            allocationContext = match;
        }
        reply(option, REP_ACK, ByteBuffer.allocate(0));
    }

    private NbdExport lookup(String name) {
        if (name.isEmpty() && !exports.isEmpty()) {
            return exports.values().iterator().next(); // the default export
        }
        return exports.get(name);
    }

    private int transmissionFlags(NbdExport e) {
        int f = TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH | TFLAG_SEND_FUA | TFLAG_SEND_TRIM | TFLAG_SEND_WRITE_ZEROES;
        if (e.readOnly()) {
            f |= TFLAG_READ_ONLY;
        }
        return f;
    }

    private void reply(int option, int type, ByteBuffer data) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(20).putLong(OPT_REPLY_MAGIC).putInt(option).putInt(type)
                .putInt(data.remaining()).flip();
        synchronized (writeLock) {
            writeFully(head);
            writeFully(data);
        }
    }

    // ---- transmission ----------------------------------------------------------------------

    private void transmission(NbdExport export) throws IOException {
        while (!closing) {
            ByteBuffer h;
            try {
                h = readBuffer(REQUEST_HEADER);
            } catch (EOFException e) {
                return; // client gone, or shutdown: drain in run()
            }
            int magic = h.getInt();
            int flags = Short.toUnsignedInt(h.getShort());
            int type = Short.toUnsignedInt(h.getShort());
            long cookie = h.getLong();
            long offset = h.getLong();
            long length = Integer.toUnsignedLong(h.getInt());
            if (magic != REQUEST_MAGIC) {
                throw new ProtocolException("request magic 0x" + Integer.toHexString(magic) + ", cannot resynchronise");
            }
            if (type == CMD_WRITE && length > settings.maxPayload()) {
                throw new ProtocolException("WRITE of " + length + " bytes exceeds the maximum of "
                        + settings.maxPayload() + " that was advertised");
            }
            if (type == CMD_DISC) {
                return;
            }
            acquireSlot();
            // a WRITE's data is read into a reused direct buffer (no JDK temporary copy), a READ's
            // reply data goes into one; either is given back once the request is answered
            // (an export that hands over views of its own buffers needs none for a READ: the view
            // is written to the socket as it is, and closed once its reply is sent)
            ByteBuffer payload = type == CMD_WRITE ? readPooled((int) length)
                    : type == CMD_READ && length <= settings.maxPayload() && !export.readsViews()
                            ? buffers.take((int) length) : null;
            CompletableFuture<?> op;
            boolean refused = false; // thrown before any I/O started: nothing holds the buffer
            try {
                op = dispatch(export, type, flags, cookie, offset, length, payload);
            } catch (RuntimeException e) {
                op = CompletableFuture.failedFuture(e);
                refused = true;
            }
            boolean noIoStarted = refused;
            op.whenComplete((result, failure) -> {
                try {
                    if (failure != null) {
                        replyError(type, cookie, errnoOf(failure));
                    }
                } finally {
                    if (payload != null && (failure == null || noIoStarted)) {
                        // after a failed I/O some object op may still use it (allOf fails on the first error)
                        buffers.give(payload);
                    }
                    inFlight.release();
                }
            });
        }
    }

    private void acquireSlot() throws IOException {
        try {
            if (!inFlight.tryAcquire(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ProtocolException("no request completed for " + settings.drainTimeout().toSeconds()
                        + " s with " + settings.queueDepth() + " in flight");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Starts one request; successful replies are written by the returned future's stage. */
    private CompletableFuture<?> dispatch(NbdExport e, int type, int flags, long cookie, long offset, long length,
            ByteBuffer payload) {
        boolean inRange = offset >= 0 && length <= e.size() && offset <= e.size() - length;
        switch (type) {
            case CMD_READ -> {
                if (length > settings.maxPayload()) {
                    throw new NbdIoException(NbdIoException.EINVAL, "read of " + length + " bytes is too large");
                }
                if (!inRange) {
                    throw new NbdIoException(NbdIoException.EINVAL, "read beyond the end");
                }
                if (e.readsViews()) {
                    return readView(e, cookie, offset, (int) length);
                }
                return e.read(offset, payload).thenRun(() -> replyRead(cookie, offset, payload));
            }
            case CMD_WRITE -> {
                if (e.readOnly()) {
                    throw new NbdIoException(NbdIoException.EPERM, "read-only export");
                }
                if (!inRange) {
                    throw new NbdIoException(NbdIoException.ENOSPC, "write beyond the end");
                }
                return e.write(offset, payload, (flags & CMD_FLAG_FUA) != 0).thenRun(() -> replyOk(cookie));
            }
            case CMD_FLUSH -> {
                return e.flush().thenRun(() -> replyOk(cookie));
            }
            case CMD_TRIM -> {
                if (e.readOnly()) {
                    throw new NbdIoException(NbdIoException.EPERM, "read-only export");
                }
                if (!inRange) {
                    throw new NbdIoException(NbdIoException.EINVAL, "trim beyond the end");
                }
                return e.trim(offset, length).thenCompose(v -> fuaFlush(e, flags)).thenRun(() -> replyOk(cookie));
            }
            case CMD_WRITE_ZEROES -> {
                if (e.readOnly()) {
                    throw new NbdIoException(NbdIoException.EPERM, "read-only export");
                }
                if (!inRange) {
                    throw new NbdIoException(NbdIoException.ENOSPC, "write beyond the end");
                }
                return e.writeZeroes(offset, length, (flags & CMD_FLAG_NO_HOLE) == 0)
                        .thenCompose(v -> fuaFlush(e, flags)).thenRun(() -> replyOk(cookie));
            }
            case CMD_CACHE -> {
                return CompletableFuture.runAsync(() -> replyOk(cookie), Runnable::run);
            }
            case CMD_BLOCK_STATUS -> {
                if (!structured || !allocationContext) {
                    throw new NbdIoException(NbdIoException.EINVAL, "no metadata context was negotiated");
                }
                if (!inRange || length == 0) {
                    throw new NbdIoException(NbdIoException.EINVAL, "block status beyond the end");
                }
                return e.allocation(offset, length)
                        .thenAccept(extents -> replyBlockStatus(cookie, length, extents, (flags & CMD_FLAG_REQ_ONE) != 0));
            }
            default -> throw new NbdIoException(NbdIoException.EINVAL, "unknown " + Nbd.commandName(type));
        }
    }

    /**
     * A READ answered from a view the export hands over: the reply header and the view's buffers
     * leave in one gathering write, then the view is closed (on every path: a failed read holds
     * none, a view of the wrong length is refused with EIO, a client gone mid-reply is as for
     * any reply). The request's slot is held until then, so the views in flight stay bounded by
     * the queue depth times the largest read, as the server's own buffers were.
     */
    private CompletableFuture<Void> readView(NbdExport e, long cookie, long offset, int length) {
        CompletableFuture<org.jceph.rados.ReadView> f = e.readView(offset, length);
        return f.thenAccept(v -> {
            try (v) {
                if (v.length() != length) {
                    // never send fewer (or more) bytes than the reply's length says
                    throw new NbdIoException(NbdIoException.EIO, "export returned " + v.length()
                            + " bytes for a read of " + length);
                }
                replyRead(cookie, offset, v.nioBuffers());
            }
        });
    }

    private static CompletableFuture<Void> fuaFlush(NbdExport e, int flags) {
        return (flags & CMD_FLAG_FUA) != 0 ? e.flush() : CompletableFuture.completedFuture(null);
    }

    private static int errnoOf(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof NbdIoException n ? n.errno() : NbdIoException.EIO;
    }

    private void replyOk(long cookie) {
        ByteBuffer b = ByteBuffer.allocate(16).putInt(SIMPLE_REPLY_MAGIC).putInt(0).putLong(cookie).flip();
        send(b, null);
    }

    private void replyRead(long cookie, long offset, ByteBuffer data) {
        send(readReplyHeader(cookie, offset, data.remaining()), data);
    }

    /** As above, the data in pieces (a view's buffers), sent with the header in one gathering write. */
    private void replyRead(long cookie, long offset, ByteBuffer[] data) {
        long n = 0;
        for (ByteBuffer b : data) {
            n += b.remaining();
        }
        ByteBuffer[] all = new ByteBuffer[data.length + 1];
        all[0] = readReplyHeader(cookie, offset, (int) n);
        System.arraycopy(data, 0, all, 1, data.length);
        sendAll(all, all[0].remaining() + n);
    }

    private ByteBuffer readReplyHeader(long cookie, long offset, int length) {
        if (structured) {
            return ByteBuffer.allocate(28).putInt(STRUCTURED_REPLY_MAGIC).putShort((short) REPLY_FLAG_DONE)
                    .putShort((short) REPLY_TYPE_OFFSET_DATA).putLong(cookie).putInt(8 + length)
                    .putLong(offset).flip();
        }
        return ByteBuffer.allocate(16).putInt(SIMPLE_REPLY_MAGIC).putInt(0).putLong(cookie).flip();
    }

    private void replyBlockStatus(long cookie, long length, List<NbdExport.Extent> extents, boolean one) {
        List<NbdExport.Extent> out = new ArrayList<>();
        long covered = 0;
        if (extents == null || extents.isEmpty()) {
            out.add(new NbdExport.Extent(length, false, false));
        } else {
            for (NbdExport.Extent x : extents) {
                long len = Math.min(x.length(), length - covered);
                if (len <= 0) {
                    break;
                }
                out.add(new NbdExport.Extent(len, x.hole(), x.zero()));
                covered += len;
                if (one || out.size() >= 1024) {
                    break;
                }
            }
        }
        ByteBuffer b = ByteBuffer.allocate(20 + 4 + 8 * out.size());
        b.putInt(STRUCTURED_REPLY_MAGIC).putShort((short) REPLY_FLAG_DONE).putShort((short) REPLY_TYPE_BLOCK_STATUS)
                .putLong(cookie).putInt(4 + 8 * out.size()).putInt(ALLOCATION_CONTEXT_ID);
        for (NbdExport.Extent x : out) {
            // lengths above 4 GiB are split by the caller's request size (a u32), so they fit
            b.putInt((int) x.length()).putInt((x.hole() ? STATE_HOLE : 0) | (x.zero() ? STATE_ZERO : 0));
        }
        send(b.flip(), null);
    }

    private void replyError(int type, long cookie, int errno) {
        if (structured && (type == CMD_READ || type == CMD_BLOCK_STATUS)) {
            ByteBuffer b = ByteBuffer.allocate(26).putInt(STRUCTURED_REPLY_MAGIC).putShort((short) REPLY_FLAG_DONE)
                    .putShort((short) REPLY_TYPE_ERROR).putLong(cookie).putInt(6).putInt(errno).putShort((short) 0).flip();
            send(b, null);
        } else {
            send(ByteBuffer.allocate(16).putInt(SIMPLE_REPLY_MAGIC).putInt(errno).putLong(cookie).flip(), null);
        }
    }

    private void send(ByteBuffer head, ByteBuffer body) {
        synchronized (writeLock) {
            try {
                if (body == null) {
                    writeFully(head);
                } else {
                    // header and data in one gathering write (one writev, not a small write then
                    // the data), while a large READ's reply drains into the socket
                    ByteBuffer[] both = gather;
                    both[0] = head;
                    both[1] = body.duplicate();
                    try {
                        while (both[0].hasRemaining() || both[1].hasRemaining()) {
                            channel.write(both);
                        }
                    } finally {
                        both[0] = null; // the pooled payload is not held past its reply
                        both[1] = null;
                    }
                }
            } catch (IOException e) {
                // The client went away: the operation itself completed; nothing to tell anyone.
                LOG.debug("{}: reply not delivered: {}", peer, e.toString());
            }
        }
    }

    /** Writes all of {@code bufs} ({@code total} bytes) in gathering writes, under the write lock. */
    private void sendAll(ByteBuffer[] bufs, long total) {
        synchronized (writeLock) {
            try {
                long left = total;
                while (left > 0) {
                    left -= channel.write(bufs);
                }
            } catch (IOException e) {
                // The client went away: the operation itself completed; nothing to tell anyone.
                LOG.debug("{}: reply not delivered: {}", peer, e.toString());
            }
        }
    }

    // ---- plumbing ------------------------------------------------------------------------

    private void drain(NbdExport export) {
        try {
            if (!inFlight.tryAcquire(settings.queueDepth(), settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: requests still running after {}", peer, settings.drainTimeout());
                return;
            }
            inFlight.release(settings.queueDepth());
            if (export != null && !export.readOnly()) {
                export.flush().get(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: final flush failed: {}", peer, e.toString());
        }
    }

    /** Reads {@code n} bytes into a buffer of the pool (given back if the read fails). */
    private ByteBuffer readPooled(int n) throws IOException {
        ByteBuffer b = buffers.take(n);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b) < 0) {
                    throw new EOFException();
                }
            }
        } catch (IOException | RuntimeException e) {
            buffers.give(b);
            throw e;
        }
        return b.flip();
    }

    private ByteBuffer readBuffer(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException();
            }
        }
        return b.flip();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private static String string(ByteBuffer b, int n) {
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private void closeQuietly() {
        buffers.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** A client that broke the protocol; the connection is closed. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }
}
