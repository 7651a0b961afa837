package org.jceph.messenger.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jceph.encoding.types.EntityAddrVec;
import org.junit.jupiter.api.Test;

/** Each case mirrors a branch of MonMap::_add_ambiguous_addr / init_with_ips. */
class MonHostTest {
    private static List<String> parse(String s) {
        return MonHost.parse(s).stream().map(EntityAddrVec::toString).toList();
    }

    @Test
    void bareIpGivesV2DefaultThenV1Default() {
        assertEquals(List.of("[v2:10.0.0.1:3300/0]", "[v1:10.0.0.1:6789/0]"), parse("10.0.0.1"));
    }

    @Test
    void wellKnownPortsImplyTheProtocol() {
        assertEquals(List.of("[v1:10.0.0.1:6789/0]", "[v2:10.0.0.2:3300/0]"), parse("10.0.0.1:6789,10.0.0.2:3300"));
    }

    @Test
    void otherPortWithoutPrefixTriesBothProtocolsOnThatPort() {
        assertEquals(List.of("[v2:10.0.0.1:7000/0]", "[v1:10.0.0.1:7000/0]"), parse("10.0.0.1:7000"));
    }

    @Test
    void prefixWithoutPortUsesThatProtocolsDefault() {
        assertEquals(List.of("[v1:10.0.0.1:6789/0]", "[v2:10.0.0.2:3300/0]"), parse("v1:10.0.0.1 v2:10.0.0.2"));
    }

    @Test
    void vectorsAreTakenAsWritten() {
        assertEquals(List.of("[v2:127.0.0.1:41300/0, v1:127.0.0.1:41789/0]", "[v2:10.0.0.2:3300/0]"),
                parse("[v2:127.0.0.1:41300,v1:127.0.0.1:41789]; v2:10.0.0.2:3300"));
    }

    @Test
    void ipv6InBracketsWithAndWithoutPrefix() {
        assertEquals(List.of("[v2:[0:0:0:0:0:0:0:1]:3300/0]", "[v1:[0:0:0:0:0:0:0:1]:6789/0]"),
                parse("[::1]:3300, v1:[::1]"));
        assertEquals(List.of("[v2:[0:0:0:0:0:0:0:1]:3300/0, v1:[0:0:0:0:0:0:0:1]:6789/0]"),
                parse("[v2:[::1]:3300,v1:[::1]:6789]"));
    }

    @Test
    void nonceSuffixIsKept() {
        assertEquals(List.of("[v2:10.0.0.1:3300/7]"), parse("v2:10.0.0.1:3300/7"));
    }

    @Test
    void garbageIsRejectedWithTheInputNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("[v2:10.0.0.1:3300"));
        assertEquals(true, e.getMessage().contains("[v2:10.0.0.1:3300"));
        assertThrows(IllegalArgumentException.class, () -> parse("10.0.0.1:notaport"));
        assertThrows(IllegalArgumentException.class, () -> parse(" , "));
    }
}
