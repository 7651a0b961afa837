package org.jceph.cli.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jceph.rbd.RbdFeatures;
import org.junit.jupiter.api.Test;

/** Feature-name parsing and help of rbd feature / object-map rebuild / config, without a cluster. */
class RbdFeatureCommandsTest {
    @Test
    void featureNamesAsTheRbdToolTakesThem() {
        assertEquals(RbdFeatures.EXCLUSIVE_LOCK | RbdFeatures.OBJECT_MAP | RbdFeatures.FAST_DIFF,
                RbdFeatureCommands.parseFeatures(List.of("exclusive-lock,object-map", "fast-diff")));
        assertEquals(RbdFeatures.STRIPINGV2 | RbdFeatures.DEEP_FLATTEN,
                RbdFeatureCommands.parseFeatures(List.of("striping", "deep-flatten")));
        assertEquals(0L, RbdFeatureCommands.parseFeatures(List.of()));
        assertNull(RbdFeatureCommands.parseFeatures(List.of("exclusive-lock", "bogus")));
        assertNull(RbdFeatureCommands.parseFeatures(List.of("EXCLUSIVE-LOCK")));
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = RbdCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheNewCommandsInOrder() {
        String all = run("help");
        int check = all.indexOf("    object-map check ");
        int rebuild = all.indexOf("    object-map rebuild ");
        assertTrue(check > 0 && rebuild > check, all);
        assertTrue(all.indexOf("    export ") < all.indexOf("    feature disable ")
                && all.indexOf("    feature enable ") < all.indexOf("    flatten "), all);
        assertTrue(all.contains("    config image list (... ls)        List image-level configuration overrides."), all);
        assertTrue(run("help", "config", "image", "ls").startsWith("usage: rbd config image list "));
        assertTrue(run("help", "feature", "enable").contains("\nEnable the specified image feature.\n"));
    }
}
