package org.jceph.cli.decode;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the two byte streams of every TCP connection in a capture: strips the link, IPv4/IPv6
 * and TCP headers, orders segments by sequence number, drops retransmitted bytes, and stops a
 * stream at the first hole (reported, never guessed across). Bounded: a stream keeps at most
 * {@code maxStreamBytes}; what comes after is counted, not stored.
 */
public final class TcpStreams {
    /** One direction of a connection: its bytes, and when each stretch of them arrived. */
    public static final class Stream {
        private final InetSocketAddress from;
        private final InetSocketAddress to;
        private final TreeMap<Long, Segment> pending = new TreeMap<>();
        private long isn = -1;
        private boolean sawSyn;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        /** {stream offset, timestamp} at the start of each appended stretch. */
        private final List<long[]> times = new ArrayList<>();
        private long gapAt = -1;
        private long dropped;

        Stream(InetSocketAddress from, InetSocketAddress to) {
            this.from = from;
            this.to = to;
        }

        public InetSocketAddress from() {
            return from;
        }

        public InetSocketAddress to() {
            return to;
        }

        public byte[] bytes() {
            return bytes.toByteArray();
        }

        /** Offset of the first missing byte when the capture lost part of this stream, else -1. */
        public long gapAt() {
            return gapAt;
        }

        /** Bytes beyond the storage bound, or after a hole, that were not kept. */
        public long dropped() {
            return dropped;
        }

        /** When the byte at {@code offset} was captured (microseconds since the epoch). */
        public long timeOf(long offset) {
            long t = 0;
            int lo = 0;
            int hi = times.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (times.get(mid)[0] <= offset) {
                    t = times.get(mid)[1];
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return t;
        }

        private void add(long seq, boolean syn, boolean ack, byte[] data, int off, int len, long ts, long max) {
            if (syn) {
                isn = seq + 1;
                sawSyn |= !ack; // only the opener's SYN lacks the ACK bit
                return;
            }
            if (len == 0) {
                return;
            }
            if (isn < 0) {
                isn = seq; // capture started mid-connection: take the first byte seen as offset 0
            }
            long rel = (seq - isn) & 0xffffffffL;
            if (rel > 0x7fffffffL) {
                return; // before the start: a retransmission of bytes we never saw the first time
            }
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            Segment prev = pending.get(rel);
            if (prev == null || prev.data.length < len) {
                pending.put(rel, new Segment(copy, ts));
            }
            drain(max);
        }

        private void drain(long max) {
            while (!pending.isEmpty()) {
                Map.Entry<Long, Segment> e = pending.firstEntry();
                long have = bytes.size() + dropped;
                long start = e.getKey();
                if (start > have) {
                    return; // a hole, for now
                }
                pending.pollFirstEntry();
                int skip = (int) (have - start);
                if (skip >= e.getValue().data.length) {
                    continue; // entirely retransmitted
                }
                int n = e.getValue().data.length - skip;
                int keep = (int) Math.max(0, Math.min(n, max - bytes.size()));
                if (keep > 0) {
                    times.add(new long[] {bytes.size(), e.getValue().ts});
                    bytes.write(e.getValue().data, skip, keep);
                }
                dropped += n - keep;
            }
        }

        void finish() {
            if (!pending.isEmpty()) {
                gapAt = bytes.size() + dropped;
                for (Segment s : pending.values()) {
                    dropped += s.data.length;
                }
                pending.clear();
            }
        }

        boolean sawSyn() {
            return sawSyn;
        }
    }

    private record Segment(byte[] data, long ts) {
    }

    /** Both directions of one connection; the client is the side that sent the SYN. */
    public record Connection(Stream client, Stream server, long firstSeen) {
    }

    private TcpStreams() {
    }

    public static List<Connection> assemble(List<PcapFile.Packet> packets, long maxStreamBytes) {
        Map<String, Stream> streams = new LinkedHashMap<>();
        Map<String, Long> firstSeen = new LinkedHashMap<>();
        for (PcapFile.Packet p : packets) {
            int ip = ipOffset(p.linkType(), p.data());
            if (ip < 0) {
                continue;
            }
            addIp(p.data(), ip, p.timestampMicros(), streams, firstSeen, maxStreamBytes);
        }
        List<Connection> out = new ArrayList<>();
        java.util.Set<String> done = new java.util.HashSet<>();
        for (Map.Entry<String, Stream> e : streams.entrySet()) {
            Stream s = e.getValue();
            s.finish();
            String back = key(s.to, s.from);
            if (done.contains(e.getKey())) {
                continue;
            }
            done.add(e.getKey());
            done.add(back);
            Stream r = streams.get(back);
            if (r == null) {
                r = new Stream(s.to, s.from);
            } else {
                r.finish();
            }
            // The SYN (without ACK) comes from the client; with no SYN captured, the first talker is.
            boolean sIsClient = s.sawSyn() || !r.sawSyn();
            Stream client = sIsClient ? s : r;
            Stream server = sIsClient ? r : s;
            out.add(new Connection(client, server, firstSeen.get(e.getKey())));
        }
        return out;
    }

    /** Offset of the IP header in a link-layer frame, or -1 when it carries something else. */
    static int ipOffset(int link, byte[] d) {
        switch (link) {
            case PcapFile.LINK_ETHERNET -> {
                int off = 12;
                while (d.length >= off + 2) {
                    int type = (d[off] & 0xff) << 8 | (d[off + 1] & 0xff);
                    if (type == 0x8100 || type == 0x88a8) {
                        off += 4; // VLAN tag
                        continue;
                    }
                    return type == 0x0800 || type == 0x86dd ? off + 2 : -1;
                }
                return -1;
            }
            case PcapFile.LINK_LINUX_SLL -> {
                return d.length >= 16 && isIp((d[14] & 0xff) << 8 | (d[15] & 0xff)) ? 16 : -1;
            }
            case PcapFile.LINK_LINUX_SLL2 -> {
                return d.length >= 20 && isIp((d[0] & 0xff) << 8 | (d[1] & 0xff)) ? 20 : -1;
            }
            case PcapFile.LINK_NULL, PcapFile.LINK_LOOP -> {
                return d.length >= 4 ? 4 : -1;
            }
            case PcapFile.LINK_RAW -> {
                return 0;
            }
            default -> {
                return -1;
            }
        }
    }

    private static boolean isIp(int ethertype) {
        return ethertype == 0x0800 || ethertype == 0x86dd;
    }

    private static void addIp(byte[] d, int ip, long ts, Map<String, Stream> streams, Map<String, Long> firstSeen,
                              long max) {
        if (d.length < ip + 20) {
            return;
        }
        int version = (d[ip] & 0xff) >> 4;
        int tcp;
        int end;
        byte[] src;
        byte[] dst;
        if (version == 4) {
            int ihl = (d[ip] & 0x0f) * 4;
            int total = (d[ip + 2] & 0xff) << 8 | (d[ip + 3] & 0xff);
            int frag = ((d[ip + 6] & 0x3f) << 8) | (d[ip + 7] & 0xff); // MF flag + fragment offset
            if (d[ip + 9] != 6 || ihl < 20 || frag != 0) {
                return; // not TCP, or a fragment (never seen on loopback)
            }
            src = java.util.Arrays.copyOfRange(d, ip + 12, ip + 16);
            dst = java.util.Arrays.copyOfRange(d, ip + 16, ip + 20);
            tcp = ip + ihl;
            end = Math.min(d.length, ip + (total == 0 ? d.length - ip : total)); // TSO captures say 0
        } else if (version == 6) {
            if (d.length < ip + 40 || d[ip + 6] != 6) {
                return; // extension headers are not followed
            }
            int payload = (d[ip + 4] & 0xff) << 8 | (d[ip + 5] & 0xff);
            src = java.util.Arrays.copyOfRange(d, ip + 8, ip + 24);
            dst = java.util.Arrays.copyOfRange(d, ip + 24, ip + 40);
            tcp = ip + 40;
            end = Math.min(d.length, tcp + (payload == 0 ? d.length - tcp : payload));
        } else {
            return;
        }
        if (end < tcp + 20) {
            return;
        }
        int sport = (d[tcp] & 0xff) << 8 | (d[tcp + 1] & 0xff);
        int dport = (d[tcp + 2] & 0xff) << 8 | (d[tcp + 3] & 0xff);
        long seq = ((d[tcp + 4] & 0xffL) << 24) | ((d[tcp + 5] & 0xffL) << 16) | ((d[tcp + 6] & 0xffL) << 8)
                | (d[tcp + 7] & 0xffL);
        int dataOff = ((d[tcp + 12] & 0xff) >> 4) * 4;
        int flags = d[tcp + 13] & 0xff;
        boolean syn = (flags & 0x02) != 0;
        int payloadStart = tcp + dataOff;
        if (dataOff < 20 || payloadStart > end) {
            return;
        }
        InetSocketAddress from = socket(src, sport);
        InetSocketAddress to = socket(dst, dport);
        String k = key(from, to);
        Stream s = streams.get(k);
        if (syn && (flags & 0x10) == 0 && s != null && s.bytes.size() > 0) {
            // the same 4-tuple reused for a new connection: start a fresh pair
            streams.remove(k);
            streams.remove(key(to, from));
            s = null;
        }
        if (s == null) {
            s = new Stream(from, to);
            streams.put(k, s);
            firstSeen.putIfAbsent(k, ts);
        }
        s.add(seq, syn, (flags & 0x10) != 0, d, payloadStart, end - payloadStart, ts, max);
    }

    private static InetSocketAddress socket(byte[] addr, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for bad lengths, which we never pass
        }
    }

    private static String key(InetSocketAddress from, InetSocketAddress to) {
        return from.getAddress().getHostAddress() + "|" + from.getPort() + ">" + to.getAddress().getHostAddress()
                + "|" + to.getPort();
    }
}
