package org.jceph.rbd.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LUKS2 metadata JSON: objects and arrays (empty, nested) parse and write back compactly. */
class JsonTest {
    @Test
    void objectsAndArraysRoundTrip() {
        String text = " { \"a\" : [ 1 , { \"b\" : [ ] } , \"x\" ] , \"c\" : { } , \"d\" : [ [ -2 ] , true , null ] } ";
        Object v = Json.parse(text);
        assertEquals(Map.of("a", List.of(1L, Map.of("b", List.of()), "x"), "c", Map.of(), "d",
                java.util.Arrays.asList(List.of(-2L), true, null)), v);
        assertEquals("{\"a\":[1,{\"b\":[]},\"x\"],\"c\":{},\"d\":[[-2],true,null]}", Json.write(v));
        assertEquals("[]", Json.write(Json.parse("[]")));
        assertEquals("{}", Json.write(Json.parse("{}")));
    }

    @Test
    void malformedItemListsAreRefused() {
        for (String bad : new String[] {"[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":1", "[", "{1:2}", "[1]]"}) {
            assertEquals(-22, assertThrows(LuksException.class, () -> Json.parse(bad), bad).errno(), bad);
        }
    }
}
