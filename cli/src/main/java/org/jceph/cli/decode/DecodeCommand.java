package org.jceph.cli.decode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jceph.cli.UsageException;

/**
 * {@code jceph decode --pcap FILE [--port N]}: finds the Ceph sessions (msgr2 and msgr1) in a
 * capture and prints every banner, frame, tag and message with the offset of each field in its
 * TCP stream, its bytes, its name and its value: an annotated hex view of the protocol. Secure
 * mode frames are counted, not decrypted.
 */
public final class DecodeCommand {
    /** Stream bytes kept per direction; a capture of a bulk transfer is decoded up to here. */
    static final long MAX_STREAM_BYTES = 64L << 20;

    private DecodeCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path pcap = null;
        int port = -1;
        String format = "text";
        String outFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pcap" -> pcap = Path.of(value(args, ++i, "--pcap"));
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value(args, ++i, "--port"));
                    } catch (NumberFormatException e) {
                        throw new UsageException("--port needs a number");
                    }
                }
                case "--format" -> format = value(args, ++i, "--format");
                case "-o", "--output" -> outFile = value(args, ++i, args[i - 1]);
                default -> throw new UsageException("unknown argument '" + args[i]
                        + "' (usage: decode --pcap FILE [--port N] [--format text|html] [-o FILE])");
            }
        }
        if (pcap == null) {
            throw new UsageException("usage: decode --pcap FILE [--port N] [--format text|html] [-o FILE]");
        }
        if (!format.equals("text") && !format.equals("html")) {
            throw new UsageException("--format is text or html, not " + format);
        }
        List<PcapFile.Packet> packets;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(pcap))) {
            packets = PcapFile.read(in);
        } catch (IOException e) {
            err.println("jceph decode: cannot read " + pcap + ": " + e.getMessage());
            return 1;
        } catch (PcapFormatException e) {
            err.println("jceph decode: " + pcap + ": " + e.getMessage());
            return 1;
        }
        if (format.equals("text")) {
            decode(packets, port, pcap.toString(), out, null);
            return 0;
        }
        DecodeHtml html = new DecodeHtml();
        java.io.ByteArrayOutputStream summary = new java.io.ByteArrayOutputStream();
        decode(packets, port, pcap.toString(), new PrintStream(summary, true, java.nio.charset.StandardCharsets.UTF_8), html);
        String page = html.page("jceph decode " + pcap.getFileName());
        if (outFile == null) {
            out.print(page);
            return 0;
        }
        try {
            Files.writeString(Path.of(outFile), page);
        } catch (IOException e) {
            err.println("jceph decode: cannot write " + outFile + ": " + e.getMessage());
            return 1;
        }
        err.println("wrote " + outFile + " (" + page.length() + " bytes, " + html.drawnFields() + " fields)");
        return 0;
    }

    /** Prints the sessions of {@code packets}; returns how many Ceph sessions were found. */
    public static int decode(List<PcapFile.Packet> packets, int port, String name, PrintStream out) {
        return decode(packets, port, name, out, null);
    }

    /** Prints (or, with {@code html}, draws) the sessions of {@code packets}; returns how many were found. */
    static int decode(List<PcapFile.Packet> packets, int port, String name, PrintStream out, DecodeHtml html) {
        List<TcpStreams.Connection> conns = TcpStreams.assemble(packets, MAX_STREAM_BYTES);
        long t0 = packets.isEmpty() ? 0 : packets.get(0).timestampMicros();
        out.printf("capture %s: %d packets, %d TCP connections%n", name, packets.size(), conns.size());
        int found = 0;
        for (TcpStreams.Connection c : conns) {
            if (port >= 0 && c.client().to().getPort() != port && c.client().from().getPort() != port) {
                continue;
            }
            byte[] cb = c.client().bytes();
            byte[] sb = c.server().bytes();
            List<Event> events;
            String proto;
            if (Msgr2Dissector.matches(cb) || Msgr2Dissector.matches(sb)) {
                Msgr2Dissector.Session s = Msgr2Dissector.banners(cb, sb);
                events = new ArrayList<>(Msgr2Dissector.dissect(c.server(), false, s));
                events.addAll(Msgr2Dissector.dissect(c.client(), true, s));
                proto = "msgr2 " + (s.rev1() ? "rev1" : "rev0") + (s.conMode == 2 ? " secure" : s.conMode == 1 ? " crc" : "");
            } else if (Msgr1Dissector.matches(cb) || Msgr1Dissector.matches(sb)) {
                events = Msgr1Dissector.dissect(c);
                proto = "msgr1";
            } else {
                continue;
            }
            found++;
            out.printf("%nconnection %d: %s -> %s, %s, client sent %d bytes, server sent %d bytes%n", found,
                    addr(c.client().from()), addr(c.client().to()), proto, cb.length + c.client().dropped(),
                    sb.length + c.server().dropped());
            if (html != null) {
                html.connection(String.format("connection %d: %s -> %s, %s, client sent %d bytes, server sent %d bytes",
                        found, addr(c.client().from()), addr(c.client().to()), proto, cb.length + c.client().dropped(),
                        sb.length + c.server().dropped()));
            }
            for (TcpStreams.Stream s : List.of(c.client(), c.server())) {
                if (s.gapAt() >= 0) {
                    out.printf("  ! %s -> %s: the capture misses bytes at stream offset %d; decoding stops there%n",
                            addr(s.from()), addr(s.to()), s.gapAt());
                } else if (s.dropped() > 0) {
                    out.printf("  ! %s -> %s: only the first %d bytes are decoded%n", addr(s.from()), addr(s.to()),
                            MAX_STREAM_BYTES);
                }
            }
            events.sort(Comparator.comparingLong(Event::timestampMicros).thenComparing(e -> !e.fromClient())
                    .thenComparingLong(Event::streamOffset));
            if (html != null) {
                int drawn = 0;
                for (Event e : events) {
                    if (drawn++ < DecodeHtml.MAX_EVENTS) {
                        html.event(e, DecodeHtml.when(e, t0));
                    }
                }
                if (drawn > DecodeHtml.MAX_EVENTS) {
                    html.note("... " + (drawn - DecodeHtml.MAX_EVENTS) + " more units in this connection (the text view"
                            + " has them all)");
                }
                continue;
            }
            for (Event e : events) {
                out.printf("%n  +%.6f %s @%06x %s%n", (e.timestampMicros() - t0) / 1e6, e.fromClient() ? "C>S" : "S>C",
                        e.streamOffset(), e.title());
                for (String l : e.lines()) {
                    out.println(l);
                }
            }
        }
        if (found == 0 && html != null) {
            html.note("no Ceph session (msgr2 or msgr1 banner) found" + (port >= 0 ? " on port " + port : ""));
        }
        if (found == 0) {
            out.println("no Ceph session (msgr2 or msgr1 banner) found" + (port >= 0 ? " on port " + port : ""));
        }
        return found;
    }

    private static String addr(java.net.InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new UsageException(opt + " needs a value");
        }
        return args[i];
    }
}
