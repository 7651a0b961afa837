package org.jceph.cli.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jceph.cli.UsageException;
import org.junit.jupiter.api.Test;

/** The encryption options given once per layer, as Reef's rbd tool takes them for encryption_load2. */
class RbdLayerOptionsTest {
    @Test
    void repeatedEncryptionOptionsKeepTheirOrder() {
        RbdCommand.Args a = RbdCommand.parse(new String[] {"export", "--encryption-format", "luks2",
            "--encryption-passphrase-file", "/c", "--encryption-format=luks1", "--encryption-passphrase-file=/p",
            "--encryption-format", "luks", "--encryption-passphrase-file", "/g", "pool/img", "-"});
        assertEquals(List.of("luks2", "luks1", "luks"), RbdCommand.layerOpts(a, "encryption-format"));
        assertEquals(List.of("/c", "/p", "/g"), RbdCommand.layerOpts(a, "encryption-passphrase-file"));
        assertEquals(List.of("export", "pool/img", "-"), a.pos());
        // the first value stays where single-valued readers look for it
        assertEquals("luks2", a.opt("encryption-format", null));
    }

    @Test
    void noEncryptionOptionsLeaveTheImageAsItIs() throws Exception {
        RbdCommand.Args a = RbdCommand.parse(new String[] {"export", "pool/img", "-"});
        assertEquals(List.of(), RbdCommand.layerOpts(a, "encryption-format"));
        assertSame(null, RbdEncryptionCommands.maybeLoad(a, null));
    }

    @Test
    void formatsAndPassphraseFilesGoInPairs() {
        RbdCommand.Args a = RbdCommand.parse(new String[] {"export", "--encryption-format", "luks2",
            "--encryption-passphrase-file", "/c", "--encryption-format", "luks1", "pool/img", "-"});
        assertThrows(UsageException.class, () -> RbdEncryptionCommands.maybeLoad(a, null));
    }

    @Test
    void flattenTakesTheLayerOptionsToo() {
        RbdCommand.Args a = RbdCommand.parse(new String[] {"flatten", "--no-progress", "--encryption-format", "luks2",
            "--encryption-passphrase-file", "/c", "--encryption-format", "luks1", "--encryption-passphrase-file", "/p",
            "pool/img"});
        assertEquals(List.of("luks2", "luks1"), RbdCommand.layerOpts(a, "encryption-format"));
        assertEquals(List.of("/c", "/p"), RbdCommand.layerOpts(a, "encryption-passphrase-file"));
        assertEquals(List.of("flatten", "pool/img"), a.pos());
    }
}
