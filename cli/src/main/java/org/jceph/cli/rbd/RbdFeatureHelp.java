package org.jceph.cli.rbd;

/** Help for {@code rbd feature}, {@code rbd object-map rebuild} and {@code rbd config}, as the stock tool words it. */
final class RbdFeatureHelp {
    private RbdFeatureHelp() {
    }

    static void register(RbdHelp.Adder add) {
        add.add("feature disable", "feature disable", "rbd feature disable <image-spec> <features> [<features> ...]",
                "Disable the specified image feature.");
        add.add("feature enable", "feature enable", "rbd feature enable <image-spec> <features> [<features> ...]",
                "Enable the specified image feature.");
        add.add("object-map rebuild", "object-map rebuild", "rbd object-map rebuild [--no-progress] <image-or-snap-spec>",
                "Rebuild an invalid object map.");
        for (String level : new String[] {"image", "pool"}) {
            String spec = level.equals("image") ? "<image-spec>" : "<pool-name>";
            String c = "config " + level;
            String a = level.equals("image") ? "an " : "a ";
            add.add(c + " get", c + " get", "rbd " + c + " get " + spec + " <key>", "Get " + a + level
                    + "-level configuration override.");
            add.add(c + " list", c + " list (... ls)", "rbd " + c + " list [--format <format>] [--pretty-format] " + spec,
                    "List " + level + "-level configuration overrides.", c + " ls");
            add.add(c + " remove", c + " remove (... rm)", "rbd " + c + " remove " + spec + " <key>", "Remove " + a + level
                    + "-level configuration override.", c + " rm");
            add.add(c + " set", c + " set", "rbd " + c + " set " + spec + " <key> <value>", "Set " + a + level
                    + "-level configuration override.");
        }
    }
}
