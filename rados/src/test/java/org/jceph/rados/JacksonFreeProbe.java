package org.jceph.rados;

import java.util.Map;

/** Called through a class loader without Jackson by {@link JacksonOptionalTest}; its own signatures name no Jackson type. */
public final class JacksonFreeProbe {
    private JacksonFreeProbe() {
    }

    /** Encodes a command (needs no Jackson). */
    public static String encode() {
        return MonCommandJson.encode(Map.of("prefix", "df"));
    }

    /** Parses output (needs Jackson). */
    public static String parse() {
        return String.valueOf(MonCommandJson.parse("{}"));
    }
}
