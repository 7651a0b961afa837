package org.jceph.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which commands Main treats as short (the unpooled Netty allocator): bin/jceph's rule for C1. */
class MainStartupTest {
    @Test
    void shortCommandsAreTheLaunchersShortCommands() {
        assertTrue(Main.shortCommand(new String[] {"rados", "lspools", "-c", "x.conf"}));
        assertTrue(Main.shortCommand(new String[] {"rbd", "ls", "jceph-test"}));
        assertTrue(Main.shortCommand(new String[] {"osd", "map", "p", "o"}));
        assertFalse(Main.shortCommand(new String[] {"rados", "-p", "p", "bench", "10", "write"}));
        assertFalse(Main.shortCommand(new String[] {"rbd", "bench", "--io-type", "read", "p/i"}));
        assertFalse(Main.shortCommand(new String[] {"rbd", "import", "f", "p/i"}));
        assertFalse(Main.shortCommand(new String[] {"rbd", "export", "p/i", "f"}));
        assertFalse(Main.shortCommand(new String[] {"nbd", "serve", "rbd:p/i"}));
        assertFalse(Main.shortCommand(new String[] {"demo", "--conf", "c"}));
        assertFalse(Main.shortCommand(new String[0]));
    }
}
