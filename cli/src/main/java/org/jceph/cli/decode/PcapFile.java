package org.jceph.cli.decode;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the packets of a capture file: classic libpcap (either byte order, micro- or nanosecond
 * timestamps) as tcpdump writes it, and pcapng (section header, interface description, enhanced
 * and simple packet blocks) as tshark/dumpcap write it. Only what the decoder needs is kept: the
 * link type, the timestamp in microseconds and the captured bytes.
 */
public final class PcapFile {
    /** Link types we can strip to an IP packet. */
    public static final int LINK_NULL = 0;
    public static final int LINK_ETHERNET = 1;
    public static final int LINK_RAW = 101;
    public static final int LINK_LOOP = 108;
    public static final int LINK_LINUX_SLL = 113;
    public static final int LINK_LINUX_SLL2 = 276;

    /** A record can never be larger than this (the largest snaplen tools use is 256 KiB). */
    static final int MAX_RECORD = 1 << 20;

    public record Packet(int linkType, long timestampMicros, byte[] data) {
    }

    private PcapFile() {
    }

    public static List<Packet> read(InputStream in) throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            throw new PcapFormatException("file too short to be a capture (" + head.length + " bytes)");
        }
        int magicBe = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN).getInt();
        return switch (magicBe) {
            case 0xa1b2c3d4, 0xa1b23c4d -> readClassic(in, ByteOrder.BIG_ENDIAN, magicBe == 0xa1b23c4d);
            case 0xd4c3b2a1, 0x4d3cb2a1 -> readClassic(in, ByteOrder.LITTLE_ENDIAN, magicBe == 0x4d3cb2a1);
            case 0x0a0d0d0a -> readPcapng(in);
            default -> throw new PcapFormatException(String.format(
                    "not a pcap or pcapng file (magic %08x at offset 0)", magicBe));
        };
    }

    private static List<Packet> readClassic(InputStream in, ByteOrder order, boolean nanos) throws IOException {
        ByteBuffer h = ByteBuffer.wrap(readFully(in, 20, 4, "pcap file header")).order(order);
        h.getShort(); // version major
        h.getShort(); // version minor
        h.getInt(); // thiszone
        h.getInt(); // sigfigs
        h.getInt(); // snaplen
        int link = h.getInt() & 0x0fffffff;
        List<Packet> out = new ArrayList<>();
        long offset = 24;
        while (true) {
            byte[] rh = in.readNBytes(16);
            if (rh.length == 0) {
                return out;
            }
            if (rh.length < 16) {
                throw new PcapFormatException("truncated record header at offset " + offset);
            }
            ByteBuffer r = ByteBuffer.wrap(rh).order(order);
            long sec = r.getInt() & 0xffffffffL;
            long frac = r.getInt() & 0xffffffffL;
            long incl = r.getInt() & 0xffffffffL;
            if (incl > MAX_RECORD) {
                throw new PcapFormatException("record at offset " + offset + " claims " + incl + " bytes");
            }
            byte[] data = readFully(in, (int) incl, offset + 16, "packet record");
            out.add(new Packet(link, sec * 1_000_000 + (nanos ? frac / 1000 : frac), data));
            offset += 16 + incl;
        }
    }

    private static List<Packet> readPcapng(InputStream in) throws IOException {
        List<Packet> out = new ArrayList<>();
        List<long[]> interfaces = new ArrayList<>(); // {linkType, ticks per second}
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        long offset = 0;
        boolean first = true;
        while (true) {
            byte[] bh;
            if (first) {
                bh = new byte[8];
                System.arraycopy(new byte[] {0x0a, 0x0d, 0x0d, 0x0a}, 0, bh, 0, 4);
                System.arraycopy(readFully(in, 4, 4, "block length"), 0, bh, 4, 4);
            } else {
                bh = in.readNBytes(8);
                if (bh.length == 0) {
                    return out;
                }
                if (bh.length < 8) {
                    throw new PcapFormatException("truncated block header at offset " + offset);
                }
            }
            int type = ByteBuffer.wrap(bh).order(order).getInt();
            byte[] rest;
            long total;
            if (type == 0x0a0d0d0a) {
                // The section header fixes the byte order through its magic.
                byte[] magic = readFully(in, 4, offset + 8, "byte-order magic");
                int m = ByteBuffer.wrap(magic).order(ByteOrder.BIG_ENDIAN).getInt();
                order = m == 0x1a2b3c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                total = ByteBuffer.wrap(bh).order(order).getInt(4) & 0xffffffffL;
                checkBlockLength(total, offset);
                byte[] tail = readFully(in, (int) total - 12, offset + 12, "section header block");
                rest = new byte[(int) total - 8];
                System.arraycopy(magic, 0, rest, 0, 4);
                System.arraycopy(tail, 0, rest, 4, tail.length);
                interfaces.clear();
            } else {
                total = ByteBuffer.wrap(bh).order(order).getInt(4) & 0xffffffffL;
                checkBlockLength(total, offset);
                rest = readFully(in, (int) total - 8, offset + 8, "block");
            }
            first = false;
            ByteBuffer b = ByteBuffer.wrap(rest).order(order);
            switch (type) {
                case 1 -> { // interface description
                    int link = b.getShort(0) & 0xffff;
                    long ticks = 1_000_000;
                    int p = 8;
                    while (p + 4 <= rest.length - 4) {
                        int code = b.getShort(p) & 0xffff;
                        int len = b.getShort(p + 2) & 0xffff;
                        if (code == 0) {
                            break;
                        }
                        if (code == 9 && len >= 1 && p + 4 < rest.length) { // if_tsresol
                            int v = rest[p + 4] & 0xff;
                            ticks = (v & 0x80) != 0 ? 1L << Math.min(62, v & 0x7f) : pow10(v & 0x7f);
                        }
                        p += 4 + ((len + 3) & ~3);
                    }
                    interfaces.add(new long[] {link, ticks});
                }
                case 6 -> { // enhanced packet
                    int ifc = b.getInt(0);
                    if (ifc < 0 || ifc >= interfaces.size()) {
                        throw new PcapFormatException("packet block at offset " + offset + " names interface " + ifc);
                    }
                    long ts = (b.getInt(4) & 0xffffffffL) << 32 | (b.getInt(8) & 0xffffffffL);
                    int caplen = b.getInt(12);
                    if (caplen < 0 || 20 + (long) caplen > rest.length) {
                        throw new PcapFormatException("packet block at offset " + offset + " claims " + caplen + " bytes");
                    }
                    byte[] data = new byte[caplen];
                    System.arraycopy(rest, 20, data, 0, caplen);
                    long[] i = interfaces.get(ifc);
                    out.add(new Packet((int) i[0], toMicros(ts, i[1]), data));
                }
                case 3 -> { // simple packet: interface 0, no timestamp
                    if (interfaces.isEmpty()) {
                        throw new PcapFormatException("simple packet block before any interface at offset " + offset);
                    }
                    int len = Math.min(b.getInt(0), rest.length - 8);
                    byte[] data = new byte[Math.max(0, len)];
                    System.arraycopy(rest, 4, data, 0, data.length);
                    out.add(new Packet((int) interfaces.get(0)[0], 0, data));
                }
                default -> {
                    // name resolution, statistics, custom blocks: not needed
                }
            }
            offset += total;
        }
    }

    private static long pow10(int e) {
        long v = 1;
        for (int i = 0; i < Math.min(e, 18); i++) {
            v *= 10;
        }
        return v;
    }

    private static long toMicros(long ticks, long perSecond) {
        if (perSecond == 1_000_000) {
            return ticks;
        }
        return ticks / perSecond * 1_000_000 + (ticks % perSecond) * 1_000_000 / perSecond;
    }

    private static void checkBlockLength(long total, long offset) {
        if (total < 12 || total > MAX_RECORD + 64 || total % 4 != 0) {
            throw new PcapFormatException("pcapng block at offset " + offset + " has length " + total);
        }
    }

    private static byte[] readFully(InputStream in, int n, long offset, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new PcapFormatException("truncated " + what + " at offset " + offset + ": " + b.length
                    + " of " + n + " bytes", new EOFException());
        }
        return b;
    }
}
