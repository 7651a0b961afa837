package org.jceph.messenger.internal.v1;

/** msgr1 tags (CEPH_MSGR_TAG_* in src/include/msgr.h) and the other constants of the protocol. */
public final class Tags {
    private Tags() {
    }

    public static final int READY = 1;
    public static final int RESETSESSION = 2;
    public static final int WAIT = 3;
    public static final int RETRY_SESSION = 4;
    public static final int RETRY_GLOBAL = 5;
    public static final int CLOSE = 6;
    public static final int MSG = 7;
    public static final int ACK = 8;
    public static final int KEEPALIVE = 9;
    public static final int BADPROTOVER = 10;
    public static final int BADAUTHORIZER = 11;
    public static final int FEATURES = 12;
    public static final int SEQ = 13;
    public static final int KEEPALIVE2 = 14;
    public static final int KEEPALIVE2_ACK = 15;
    public static final int CHALLENGE_AUTHORIZER = 16;

    /** CEPH_MSG_CONNECT_LOSSY. */
    public static final int CONNECT_LOSSY = 1;

    /** Footer flags: CEPH_MSG_FOOTER_COMPLETE, _NOCRC, _SIGNED. */
    public static final int FOOTER_COMPLETE = 1;
    public static final int FOOTER_NOCRC = 2;
    public static final int FOOTER_SIGNED = 4;

    /** Protocol versions a client announces (msgr.h / Messenger::get_proto_version). */
    public static final int MONC_PROTOCOL = 15;
    public static final int OSDC_PROTOCOL = 24;
    public static final int MDSC_PROTOCOL = 32;

    public static String name(int tag) {
        return switch (tag) {
            case READY -> "READY";
            case RESETSESSION -> "RESETSESSION";
            case WAIT -> "WAIT";
            case RETRY_SESSION -> "RETRY_SESSION";
            case RETRY_GLOBAL -> "RETRY_GLOBAL";
            case CLOSE -> "CLOSE";
            case MSG -> "MSG";
            case ACK -> "ACK";
            case KEEPALIVE -> "KEEPALIVE";
            case BADPROTOVER -> "BADPROTOVER";
            case BADAUTHORIZER -> "BADAUTHORIZER";
            case FEATURES -> "FEATURES";
            case SEQ -> "SEQ";
            case KEEPALIVE2 -> "KEEPALIVE2";
            case KEEPALIVE2_ACK -> "KEEPALIVE2_ACK";
            case CHALLENGE_AUTHORIZER -> "CHALLENGE_AUTHORIZER";
            default -> "tag " + tag;
        };
    }

    /** The protocol_version a client puts in ceph_msg_connect for a peer of this entity type. */
    public static int protocolFor(int peerType) {
        return switch (peerType) {
            case 0x01 -> MONC_PROTOCOL;
            case 0x02 -> MDSC_PROTOCOL;
            case 0x04 -> OSDC_PROTOCOL;
            default -> 0; // mgr and others: no public protocol number
        };
    }
}
