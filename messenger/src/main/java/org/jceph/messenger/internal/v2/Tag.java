package org.jceph.messenger.internal.v2;

/** msgr2 frame tags (src/msg/async/frames_v2.h {@code enum class Tag}). */
public enum Tag {
    HELLO(1),
    AUTH_REQUEST(2),
    AUTH_BAD_METHOD(3),
    AUTH_REPLY_MORE(4),
    AUTH_REQUEST_MORE(5),
    AUTH_DONE(6),
    AUTH_SIGNATURE(7),
    CLIENT_IDENT(8),
    SERVER_IDENT(9),
    IDENT_MISSING_FEATURES(10),
    SESSION_RECONNECT(11),
    SESSION_RESET(12),
    SESSION_RETRY(13),
    SESSION_RETRY_GLOBAL(14),
    SESSION_RECONNECT_OK(15),
    WAIT(16),
    MESSAGE(17),
    KEEPALIVE2(18),
    KEEPALIVE2_ACK(19),
    ACK(20),
    COMPRESSION_REQUEST(21),
    COMPRESSION_DONE(22);

    private static final Tag[] BY_CODE = new Tag[23];

    static {
        for (Tag t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final int code;

    Tag(int code) {
        this.code = code;
    }

    /** The tag for a wire code, or null if Ceph defines none. */
    public static Tag of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
