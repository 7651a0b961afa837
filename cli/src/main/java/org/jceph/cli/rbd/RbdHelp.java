package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code jceph rbd}'s help, shaped as the stock tool's: {@code rbd --help} and {@code rbd help}
 * list the commands, {@code rbd help COMMAND} shows one, and none of them connects to a cluster.
 * Only the commands and options jceph implements are listed.
 */
final class RbdHelp {
    private RbdHelp() {
    }

    /** A command's usage line(s) and description. */
    private record Entry(String usage, String description) {
    }

    /** By command name (the first name; aliases map to the same entry), in listing order. */
    private static final Map<String, Entry> COMMANDS = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();
    private static final Map<String, String> LISTED = new LinkedHashMap<>();

    /** Adds one command's help (for the help of commands kept in classes of their own). */
    interface Adder {
        void add(String name, String listed, String usage, String description, String... aliases);
    }

    private static void add(String name, String listed, String usage, String description, String... aliases) {
        COMMANDS.put(name, new Entry(usage, description));
        LISTED.put(name, listed);
        for (String a : aliases) {
            ALIASES.put(a, name);
        }
    }

    static {
        add("bench", "bench", "rbd bench [--io-type <io-type>] [--io-size <io-size>] [--io-threads <io-threads>]\n"
                + "          [--io-total <io-total>] [--io-pattern <io-pattern>] [--rw-mix-read <rw-mix-read>]\n"
                + "          <image-spec>", "Simple benchmark.");
        add("children", "children", "rbd children [--snap <snap>] <image-or-snap-spec>",
                "Display children of an image or its snapshot.");
        add("clone", "clone", "rbd clone [--image-feature <image-feature>] [--rbd-default-clone-format <1|2|auto>]\n"
                + "          <source-snap-spec> <dest-image-spec>", "Clone a snapshot into a CoW child image.");
        RbdFeatureHelp.register(RbdHelp::add);
        RbdGroupCommands.registerHelp(RbdHelp::add);
        RbdNamespaceCommands.registerHelp(RbdHelp::add);
        RbdMirrorCommands.registerHelp(RbdHelp::add);
        add("copy", "copy (cp)", "rbd cp [--pool <pool>] [--snap <snap>] [--dest-pool <dest-pool>] [--order <order>]\n"
                + "          [--object-size <object-size>] [--image-feature <image-feature>] [--stripe-unit <stripe-unit>]\n"
                + "          [--stripe-count <stripe-count>] [--data-pool <data-pool>] [--sparse-size <sparse-size>]\n"
                + "          [--no-progress] <source-image-or-snap-spec> <dest-image-spec>", "Copy src image to dest.", "cp");
        add("create", "create", "rbd create [--image-format <image-format>] [--object-size <object-size>] [--order <order>]\n"
                + "          [--image-feature <image-feature>] [--stripe-unit <stripe-unit>] [--stripe-count <stripe-count>]\n"
                + "          [--data-pool <data-pool>] --size <size> <image-spec>", "Create an empty image.");
        add("deep copy", "deep copy (deep cp)", "rbd deep cp [--pool <pool>] [--snap <snap>] [--dest-pool <dest-pool>]\n"
                + "          [--order <order>] [--object-size <object-size>] [--image-feature <image-feature>]\n"
                + "          [--stripe-unit <stripe-unit>] [--stripe-count <stripe-count>] [--data-pool <data-pool>]\n"
                + "          [--flatten] [--no-progress] <source-image-or-snap-spec> <dest-image-spec>",
                "Deep copy src image to dest.", "deep cp");
        add("diff", "diff", "rbd diff [--from-snap <from-snap>] [--whole-object] [--format <format>] <image-or-snap-spec>",
                "Print extents that differ since a previous snap, or image creation.");
        add("disk-usage", "disk-usage (du)", "rbd disk-usage [--from-snap <from-snap>] [--exact] [--format <format>]\n"
                + "          <image-or-snap-spec>", "Show disk usage stats for pool, image or snapshot.", "du");
        add("export", "export", "rbd export [--no-progress] <source-image-or-snap-spec> <path-name>",
                "Export image to file.");
        add("flatten", "flatten", "rbd flatten [--no-progress] <image-spec>",
                "Fill clone with parent data (make it independent).");
        add("image-meta get", "image-meta get", "rbd image-meta get <image-spec> <key>",
                "Image metadata get the value associated with the key.");
        add("image-meta list", "image-meta list (image-meta ls)", "rbd image-meta list [--format <format>] <image-spec>",
                "Image metadata list keys with values.", "image-meta ls");
        add("image-meta remove", "image-meta remove (image-meta rm)", "rbd image-meta remove <image-spec> <key>",
                "Image metadata remove the key and value associated.", "image-meta rm");
        add("image-meta set", "image-meta set", "rbd image-meta set <image-spec> <key> <value>",
                "Image metadata set key with value.");
        add("import", "import", "rbd import [--object-size <object-size>] [--order <order>] [--image-feature <image-feature>]\n"
                + "          [--no-progress] <path-name> <dest-image-spec>", "Import image from file.");
        add("info", "info", "rbd info [--format <format>] <image-or-snap-spec>",
                "Show information about image size, striping, etc.");
        add("list", "list (ls)", "rbd ls [--long] [--pool <pool>] [--format <format>] <pool-name>", "List rbd images.", "ls");
        add("lock add", "lock add", "rbd lock add [--shared <shared>] <image-spec> <lock-id>", "Take a lock on an image.");
        add("lock list", "lock list (lock ls)", "rbd lock list [--format <format>] <image-spec>",
                "Show locks held on an image.", "lock ls");
        add("lock remove", "lock remove (lock rm)", "rbd lock remove <image-spec> <lock-id> <locker>",
                "Release a lock on an image.", "lock rm");
        add("object-map check", "object-map check", "rbd object-map check <image-or-snap-spec>",
                "Verify the object map is correct.");
        add("remove", "remove (rm)", "rbd remove [--no-progress] <image-spec>", "Delete an image.", "rm");
        add("rename", "rename (mv)", "rbd rename <source-image-spec> <dest-image-spec>", "Rename image within pool.", "mv");
        add("resize", "resize", "rbd resize --size <size> [--allow-shrink] [--no-progress] <image-spec>",
                "Resize (expand or shrink) image.");
        add("snap create", "snap create (snap add)", "rbd snap create <snap-spec>", "Create a snapshot.", "snap add");
        add("snap list", "snap list (snap ls)", "rbd snap list [--all] [--format <format>] [--pretty-format] <image-spec>",
                "Dump list of image snapshots.", "snap ls");
        add("snap protect", "snap protect", "rbd snap protect <snap-spec>", "Prevent a snapshot from being deleted.");
        add("snap remove", "snap remove (snap rm)", "rbd snap remove <snap-spec>", "Delete a snapshot.", "snap rm");
        add("snap rollback", "snap rollback (snap revert)", "rbd snap rollback [--no-progress] <snap-spec>",
                "Rollback image to snapshot.", "snap revert");
        add("snap unprotect", "snap unprotect", "rbd snap unprotect <snap-spec>", "Allow a snapshot to be deleted.");
        add("sparsify", "sparsify", "rbd sparsify [--pool <pool>] [--no-progress] [--sparse-size <sparse-size>]\n"
                + "          <image-spec>", "Reclaim space for zeroed image extents.");
        add("encryption format", "encryption format", "rbd encryption format [--pool <pool>] [--cipher-alg <cipher-alg>]\n"
                + "          <image-spec> <format> <passphrase-file>", "Format image to an encrypted format.");
    }

    /** The general help: every command, then the connection options. */
    static void usage(PrintStream out) {
        out.println("usage: rbd <command> ...");
        out.println();
        out.println("Command-line interface for managing Ceph RBD images (the commands jceph implements).");
        out.println();
        out.println("Positional arguments:");
        out.println("  <command>");
        new java.util.TreeMap<>(LISTED).forEach((name, listed) -> out.printf("    %-34s%s%n", listed, COMMANDS.get(name).description()));
        out.println();
        out.println("Optional arguments:");
        out.println("  -c [ --conf ] arg                   path to cluster configuration");
        out.println("  --id arg                            client id (without 'client.' prefix)");
        out.println("  -n [ --name ] arg                   client name");
        out.println("  -m [ --mon_host ] arg               monitor host");
        out.println("  -k [ --keyring ] arg                path to keyring");
        out.println();
        out.println("See 'rbd help <command>' for help on a specific command.");
    }

    /**
     * One command's help, by its words ({@code "snap ls"}); false when there is no such command.
     */
    static boolean command(String words, PrintStream out) {
        String name = ALIASES.getOrDefault(words, words);
        Entry e = COMMANDS.get(name);
        if (e == null) {
            return false;
        }
        out.println("usage: " + e.usage());
        out.println();
        out.println(e.description());
        return true;
    }
}
