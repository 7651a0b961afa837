package org.jceph.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonStringsTest {
    @Test
    void escapesAsCephsFormatterDoes() {
        assertEquals("\"plain/name with spaces\"", JsonStrings.quoted("plain/name with spaces"));
        assertEquals("\"a\\\"b\\\\c\"", JsonStrings.quoted("a\"b\\c"));
        assertEquals("\"\\t\\n\"", JsonStrings.quoted("\t\n"));
        // escape_json_attr names only tab and newline; CR, BS, FF and the rest are \\u00XX, as is DEL
        assertEquals("\"\\u000d\\u0008\\u000c\\u0000\\u001f\\u007f\"", JsonStrings.quoted("\r\b\f\u0000\u001f\u007f"));
        assertEquals("\"caf\u00e9 \u2603\"", JsonStrings.quoted("caf\u00e9 \u2603"));
        assertEquals("\"\"", JsonStrings.quoted(""));
    }
}
