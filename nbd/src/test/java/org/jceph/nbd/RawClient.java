package org.jceph.nbd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A deliberately small NBD client for protocol tests: fixed newstyle, NBD_OPT_GO, simple replies. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    long size;
    int transmissionFlags;

    RawClient(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.connect(server, 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** Handshake up to transmission; returns the option reply type of GO (1 = ACK). */
    int go(String export) throws IOException {
        if (in.readLong() != 0x4e42444d41474943L || in.readLong() != 0x49484156454F5054L) {
            throw new IOException("bad server magic");
        }
        in.readShort();
        out.writeInt(3); // FIXED_NEWSTYLE | NO_ZEROES
        byte[] name = export.getBytes(StandardCharsets.UTF_8);
        out.writeLong(0x49484156454F5054L);
        out.writeInt(7);
        out.writeInt(4 + name.length + 2);
        out.writeInt(name.length);
        out.write(name);
        out.writeShort(0);
        out.flush();
        while (true) {
            in.readLong();
            in.readInt();
            int type = in.readInt();
            int len = in.readInt();
            byte[] data = in.readNBytes(len);
            if (type == 3 && len >= 12 && data[0] == 0 && data[1] == 0) {
                size = java.nio.ByteBuffer.wrap(data, 2, 8).getLong();
                transmissionFlags = java.nio.ByteBuffer.wrap(data, 10, 2).getShort() & 0xFFFF;
            }
            if (type != 3) {
                return type;
            }
        }
    }

    void request(int flags, int type, long cookie, long offset, int length, byte[] data) throws IOException {
        request(0x25609513, flags, type, cookie, offset, length, data);
    }

    void request(int magic, int flags, int type, long cookie, long offset, int length, byte[] data) throws IOException {
        out.writeInt(magic);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt(length);
        if (data != null) {
            out.write(data);
        }
        out.flush();
    }

    /** A simple reply: {error, cookie}; the caller reads READ data itself. */
    long[] reply() throws IOException {
        int magic = in.readInt();
        if (magic != 0x67446698) {
            throw new IOException("reply magic " + Integer.toHexString(magic));
        }
        int error = in.readInt();
        long cookie = in.readLong();
        return new long[] {error, cookie};
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
