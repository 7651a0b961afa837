package org.jceph.messenger.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The one copy a large heap-backed frame needs on its way to the socket, into direct memory that
 * is reused from frame to frame.
 *
 * <p>Netty's NIO transport writes only direct memory: a message with any heap part is copied
 * whole by the channel ({@code AbstractNioByteChannel.filterOutboundMessage}) into a direct
 * buffer of its size from the pooled allocator. A 4 MiB write's frame is larger than the
 * allocator's 4 MiB chunk, so that is a "huge" allocation: malloc and free of 4 MiB per message,
 * the fresh pages faulted in by the kernel each time (system time, and under memory pressure
 * direct reclaim). Here a frame of at least {@value #MIN_BYTES} bytes has its heap parts copied
 * into {@value #PIECE}-byte direct pieces kept per event-loop thread (at most
 * {@value #MAX_IDLE} idle, freed at once beyond that), and its direct parts (a caller's direct
 * buffer, a cache's copy) go out as they are, uncopied. Smaller frames are left to Netty, whose
 * per-thread cache serves them well.
 *
 * <p>Used on the event loop only: {@link #prepare} before the write, {@link Copy#recycle} from
 * the write's listener (Netty has released the written message by then).
 */
public final class SendCopies {
    /** Size of one reused direct piece. */
    static final int PIECE = 256 << 10;
    /** Frames smaller than this are left to Netty's own (pooled, small) copy. */
    static final int MIN_BYTES = 64 << 10;
    /** Idle pieces kept per event-loop thread (16 MiB). */
    static final int MAX_IDLE = 64;

    private static final FastThreadLocal<ArrayDeque<ByteBuf>> IDLE = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<ByteBuf> initialValue() {
            return new ArrayDeque<>();
        }

        @Override
        protected void onRemoval(ArrayDeque<ByteBuf> idle) {
            for (ByteBuf b : idle) {
                b.release();
            }
            idle.clear();
        }
    };

    private SendCopies() {
    }

    /** What to write, and the pieces to take back once written. */
    public static final class Copy {
        private static final ByteBuf[] NONE = new ByteBuf[0];
        private final ByteBuf wire;
        private final ByteBuf[] pieces;

        Copy(ByteBuf wire, ByteBuf[] pieces) {
            this.wire = wire;
            this.pieces = pieces;
        }

        /**
         * The buffer to hand to the channel (it takes ownership).
         *
         * @return the frame, or its all-direct copy
         */
        public ByteBuf wire() {
            return wire;
        }

        /** Takes the pieces back for later frames: call from the write's listener, on the event loop. */
        public void recycle() {
            if (pieces.length == 0) {
                return;
            }
            ArrayDeque<ByteBuf> idle = IDLE.get();
            for (ByteBuf p : pieces) {
                // Netty released the written message (the slices of p) before the listener runs;
                // a piece still referenced elsewhere is only let go of
                if (p.refCnt() == 1 && idle.size() < MAX_IDLE) {
                    p.clear();
                    idle.push(p);
                } else {
                    p.release();
                }
            }
        }
    }

    /** Number of idle pieces on this thread (tests). */
    static int idlePieces() {
        return IDLE.get().size();
    }

    /**
     * {@code frame} ready for the socket: as it is when small or already all direct, else a
     * composite whose direct parts are {@code frame}'s own and whose heap bytes are copied once
     * into reused direct pieces. Ownership of {@code frame} passes to the result.
     *
     * @param frame a frame to write (the caller's reference)
     * @return what to write and what to recycle after
     */
    public static Copy prepare(ByteBuf frame) {
        int len = frame.readableBytes();
        if (len < MIN_BYTES || frame.isDirect()) {
            return new Copy(frame, Copy.NONE);
        }
        List<ByteBuf> parts = frame instanceof CompositeByteBuf c ? c.decompose(c.readerIndex(), len) : List.of(frame);
        ArrayDeque<ByteBuf> idle = IDLE.get();
        List<ByteBuf> pieces = new ArrayList<>(len / PIECE + 2);
        CompositeByteBuf out = Unpooled.compositeBuffer(Math.max(4, parts.size() + len / PIECE + 2));
        ByteBuf piece = null;
        int cut = 0; // where the part of the current piece not yet added to out starts
        try {
            for (ByteBuf part : parts) {
                if (!part.isReadable()) {
                    continue;
                }
                if (part.isDirect()) {
                    if (piece != null && piece.writerIndex() > cut) {
                        out.addComponent(true, piece.retainedSlice(cut, piece.writerIndex() - cut));
                        cut = piece.writerIndex();
                    }
                    out.addComponent(true, part.retain()); // a view of frame's component: kept alive by its own reference
                    continue;
                }
                int at = part.readerIndex();
                int left = part.readableBytes();
                while (left > 0) {
                    if (piece == null || !piece.isWritable()) {
                        if (piece != null && piece.writerIndex() > cut) {
                            out.addComponent(true, piece.retainedSlice(cut, piece.writerIndex() - cut));
                        }
                        piece = idle.isEmpty() ? Unpooled.directBuffer(PIECE, PIECE) : idle.pop();
                        pieces.add(piece);
                        cut = 0;
                    }
                    int n = Math.min(left, piece.writableBytes());
                    piece.writeBytes(part, at, n);
                    at += n;
                    left -= n;
                }
            }
            if (piece != null && piece.writerIndex() > cut) {
                out.addComponent(true, piece.retainedSlice(cut, piece.writerIndex() - cut));
            }
        } catch (RuntimeException | Error e) {
            out.release();
            for (ByteBuf p : pieces) {
                p.release();
            }
            throw e;
        } finally {
            frame.release(); // out holds its own references to what it uses of frame
        }
        return new Copy(out, pieces.toArray(Copy.NONE));
    }
}
