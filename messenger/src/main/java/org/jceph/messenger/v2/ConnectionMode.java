package org.jceph.messenger.v2;

import java.util.Locale;

/** msgr2 connection modes (CEPH_CON_MODE_* in src/include/ceph_fs.h). */
public enum ConnectionMode {
    CRC(1),
    SECURE(2);

    public final int code;

    ConnectionMode(int code) {
        this.code = code;
    }

    public static ConnectionMode of(int code) {
        for (ConnectionMode m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown connection mode " + code);
    }

    /** "crc" or "secure", as in ms_*_mode. */
    public static ConnectionMode parse(String s) {
        return valueOf(s.strip().toUpperCase(Locale.ROOT));
    }
}
