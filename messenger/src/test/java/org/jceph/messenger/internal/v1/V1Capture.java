package org.jceph.messenger.internal.v1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.jceph.encoding.CephFeature;

/**
 * Replays the two directions of a captured msgr1 session (fixtures under
 * src/test/resources/fixtures/messenger-v1, provenance in fixtures/README.md) through the
 * incremental decoders, fed in two pieces split at any offset.
 */
final class V1Capture {
    private V1Capture() {
    }

    static byte[] load(String name) {
        try (InputStream in = V1Capture.class.getResourceAsStream("/fixtures/messenger-v1/" + name)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + name + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the server sent, in order: ServerHello, ConnectReply..., then V1Reader events. */
    static List<Object> server(byte[] stream, int cut, LongFunction<MessageSigner> signer) {
        V1Reader r = new V1Reader();
        ByteBuf cum = org.jceph.messenger.internal.TestCumulation.create();
        List<Object> out = new ArrayList<>();
        int stage = 0; // 0 hello, 1 replies, 2 open
        for (int piece = 0; piece < 2; piece++) {
            org.jceph.messenger.internal.TestCumulation.feed(cum, stream, piece == 0 ? 0 : cut, piece == 0 ? cut : stream.length - cut);
            while (true) {
                Object o;
                if (stage == 0) {
                    o = r.readServerHello(cum);
                    if (o != null) {
                        stage = 1;
                    }
                } else if (stage == 1) {
                    V1Codec.ConnectReply rep = r.readConnectReply(cum);
                    o = rep;
                    if (rep != null && (rep.tag() == Tags.READY || rep.tag() == Tags.SEQ)) {
                        long f = rep.features() & CephFeature.CLIENT_SUPPORTED;
                        r.features(f);
                        if (signer != null) {
                            r.signer(signer.apply(f));
                        }
                        stage = 2;
                    }
                } else {
                    o = r.next(cum);
                }
                if (o == null) {
                    break;
                }
                out.add(o);
            }
        }
        if (cum.readableBytes() != 0) {
            throw new IllegalStateException(cum.readableBytes() + " bytes left over");
        }
        return out;
    }

    /** A client's connect: the struct and its authorizer. */
    record SentConnect(V1Codec.Connect connect, byte[] raw) {
    }

    /**
     * What the client sent: banner, our address, {@code connects} connect messages, the u64 in_seq
     * answering the server's TAG_SEQ (Pacific's reply to a new lossy session), then events.
     */
    static List<Object> client(byte[] stream, int cut, int connects, long features, MessageSigner signer) {
        V1Reader r = new V1Reader();
        r.features(features);
        r.signer(signer);
        ByteBuf cum = org.jceph.messenger.internal.TestCumulation.create();
        List<Object> out = new ArrayList<>();
        int stage = 0;
        for (int piece = 0; piece < 2; piece++) {
            org.jceph.messenger.internal.TestCumulation.feed(cum, stream, piece == 0 ? 0 : cut, piece == 0 ? cut : stream.length - cut);
            while (true) {
                Object o = null;
                int n = cum.readableBytes();
                int ri = cum.readerIndex();
                if (stage == 0) {
                    if (n >= V1Codec.BANNER.length + V1Codec.ADDR_LEN) {
                        byte[] b = new byte[V1Codec.BANNER.length + V1Codec.ADDR_LEN];
                        cum.readBytes(b);
                        o = b;
                        stage = 1;
                    }
                } else if (stage <= connects) {
                    if (n >= V1Codec.CONNECT.size()) {
                        int alen = (int) V1Codec.CONNECT.at("authorizer_len").getLong(cum, ri);
                        if (n >= V1Codec.CONNECT.size() + alen) {
                            byte[] raw = new byte[V1Codec.CONNECT.size() + alen];
                            cum.readBytes(raw);
                            ByteBuf b = Unpooled.wrappedBuffer(raw);
                            byte[] auth = java.util.Arrays.copyOfRange(raw, V1Codec.CONNECT.size(), raw.length);
                            o = new SentConnect(new V1Codec.Connect(V1Codec.CONNECT.at("features").getLong(b, 0),
                                    (int) V1Codec.CONNECT.at("host_type").getLong(b, 0),
                                    V1Codec.CONNECT.at("global_seq").getLong(b, 0),
                                    V1Codec.CONNECT.at("connect_seq").getLong(b, 0),
                                    (int) V1Codec.CONNECT.at("protocol_version").getLong(b, 0),
                                    (int) V1Codec.CONNECT.at("authorizer_protocol").getLong(b, 0), auth,
                                    (int) V1Codec.CONNECT.at("flags").getLong(b, 0)), raw);
                            stage++;
                        }
                    }
                } else if (stage == connects + 1) {
                    if (n >= 8) {
                        o = Long.valueOf(cum.readLongLE());
                        stage++;
                    }
                } else {
                    o = r.next(cum);
                }
                if (o == null) {
                    break;
                }
                out.add(o);
            }
        }
        if (cum.readableBytes() != 0) {
            throw new IllegalStateException(cum.readableBytes() + " bytes left over");
        }
        return out;
    }
}
