package org.jceph.rbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jceph.rados.Errno;

/**
 * An import-only migration source of librbd's {@code raw} format over the {@code file} stream
 * ({@code {"type":"raw","stream":{"type":"file","file_path":"/path"}}}): the image is the file's
 * bytes, its size the file's size. As librbd, the file is opened read-only on the client that
 * reads the destination (so it must be readable there); a read past the file's end (the file
 * shrank) fails with ERANGE, as librbd's FileStream. Raw sources with a {@code snapshots} array,
 * the http and s3 streams, and qcow sources are refused with EOPNOTSUPP.
 */
public final class RawFileSource implements AutoCloseable {
    private static final int EOPNOTSUPP = Errno.EOPNOTSUPP.negative();
    private static final int EINVAL = Errno.EINVAL.negative();

    private final String filePath;
    private final String normalized;
    private FileChannel channel;

    private RawFileSource(String filePath, String normalized) {
        this.filePath = filePath;
        this.normalized = normalized;
    }

    /**
     * Parses a raw source spec already read as JSON.
     *
     * @param m the spec's object (its {@code type} is "raw")
     * @return the source, not yet opened
     * @throws RbdException with EINVAL for a malformed spec, EOPNOTSUPP for what jceph does not read
     */
    static RawFileSource fromSpec(Map<?, ?> m) {
        if (m.containsKey("snapshots")) {
            throw new RbdException(EOPNOTSUPP, "raw source spec with snapshots: jceph imports a plain raw file only");
        }
        Object stream = m.get("stream");
        if (!(stream instanceof Map<?, ?> s)) {
            // librbd's RawFormat: "missing stream section"
            throw new RbdException(EINVAL, "invalid source spec: missing stream section");
        }
        Object type = s.get("type");
        if (!(type instanceof String t)) {
            throw new RbdException(EINVAL, "invalid source spec: missing stream type");
        }
        if (!"file".equals(t)) {
            // librbd: "unknown or unsupported stream type" (jceph reads no http or s3 streams)
            throw new RbdException(EOPNOTSUPP, "unknown or unsupported stream type: " + t);
        }
        Object path = s.get("file_path");
        if (!(path instanceof String p) || p.isEmpty()) {
            // librbd's FileStream: "failed to locate 'file_path' key"
            throw new RbdException(EINVAL, "invalid source spec: failed to locate 'file_path' key");
        }
        return new RawFileSource(p, org.jceph.rbd.crypto.Json.write(sorted(m)));
    }

    /** The spec as librbd stores it in the destination's header: keys sorted at every level, compact. */
    private static Object sorted(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), sorted(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(RawFileSource::sorted).toList();
        }
        return v;
    }

    /**
     * The file.
     *
     * @return its path as the spec names it
     */
    public String filePath() {
        return filePath;
    }

    /**
     * The spec as stored in the destination's migration header.
     *
     * @return compact JSON with sorted keys
     */
    public String normalized() {
        return normalized;
    }

    /**
     * Opens the file read-only.
     *
     * @return this source
     * @throws RbdException with ENOENT, EACCES or EIO when the file cannot be opened here
     */
    synchronized RawFileSource open() {
        if (channel == null) {
            try {
                channel = FileChannel.open(Path.of(filePath), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new RbdException(Errno.ENOENT.negative(), "raw source file " + filePath + " does not exist");
            } catch (AccessDeniedException e) {
                throw new RbdException(Errno.EACCES.negative(), "raw source file " + filePath + " is not readable");
            } catch (IOException | java.nio.file.InvalidPathException e) {
                throw new RbdException(Errno.EIO.negative(), "cannot open raw source file " + filePath + ": " + e);
            }
        }
        return this;
    }

    /**
     * The image size: the file's size now.
     *
     * @return bytes
     */
    synchronized long size() {
        try {
            return open().channel.size();
        } catch (IOException e) {
            throw new RbdException(Errno.EIO.negative(), "cannot stat raw source file " + filePath + ": " + e);
        }
    }

    /**
     * Reads {@code len} bytes at {@code offset}; fails with ERANGE when the file ends before.
     *
     * @param offset where
     * @param len how many
     * @return the bytes (a completed future: the file is local)
     */
    CompletableFuture<byte[]> readAsync(long offset, int len) {
        try {
            return CompletableFuture.completedFuture(read(offset, len));
        } catch (RbdException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private byte[] read(long offset, int len) {
        FileChannel ch = open().channel;
        ByteBuffer b = ByteBuffer.allocate(len);
        try {
            while (b.hasRemaining()) {
                int n = ch.read(b, offset + b.position());
                if (n < 0) {
                    throw new RbdException(Errno.ERANGE.negative(), "failed to read " + len + " bytes at " + offset
                            + " from raw source file " + filePath);
                }
            }
        } catch (IOException e) {
            throw new RbdException(Errno.EIO.negative(), "reading raw source file " + filePath + " failed: " + e);
        }
        return b.array();
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // read-only: nothing was lost
            }
            channel = null;
        }
    }
}
