package org.jceph.cli.rbd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jceph.cli.UsageException;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rados.RadosException;
import org.jceph.rbd.Namespaces;

/**
 * {@code rbd namespace create|list|remove POOL/NAMESPACE} (or --pool/--namespace), with the stock
 * tool's messages and exit statuses.
 */
final class RbdNamespaceCommands {
    private RbdNamespaceCommands() {
    }

    static void registerHelp(RbdHelp.Adder add) {
        add.add("namespace create", "namespace create", "rbd namespace create [--pool <pool>] [--namespace <namespace>]\n"
                + "          <pool-spec>", "Create an RBD image namespace.");
        add.add("namespace list", "namespace list (namespace ls)", "rbd namespace list [--pool <pool>] [--format <format>]\n"
                + "          [--pretty-format] <pool-spec>", "List RBD image namespaces.", "namespace ls");
        add.add("namespace remove", "namespace remove (namespace rm)", "rbd namespace remove [--pool <pool>]\n"
                + "          [--namespace <namespace>] <pool-spec>", "Remove an RBD image namespace.", "namespace rm");
    }

    static int run(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String sub = a.pos().size() > 1 ? a.pos().get(1) : "";
        String spec = RbdCommand.poolArg(a, 2);
        IoCtx pool = rados.ioCtx(RbdCommand.poolOf(spec));
        String name = RbdCommand.namespaceOf(spec);
        switch (sub) {
            case "create" -> {
                if (name.isEmpty()) {
                    err.println("rbd: namespace name was not specified");
                    return 22;
                }
                try {
                    Namespaces.create(pool, name);
                } catch (RadosException e) {
                    err.println("rbd: failed to created namespace: " + RbdCommand.strerror(e.errno()));
                    return Math.abs(e.errno());
                }
                return 0;
            }
            case "remove", "rm" -> {
                if (name.isEmpty()) {
                    err.println("rbd: namespace name was not specified");
                    return 22;
                }
                try {
                    Namespaces.remove(pool, name);
                } catch (Namespaces.NamespaceNotEmptyException e) {
                    err.println("rbd: namespace contains images which must be deleted first.");
                    return 16;
                } catch (Namespaces.NamespaceNotFoundException e) {
                    err.println("rbd: namespace does not exist.");
                    return 2;
                } catch (RadosException e) {
                    err.println("rbd: failed to remove namespace: " + RbdCommand.strerror(e.errno()));
                    return Math.abs(e.errno());
                }
                return 0;
            }
            case "list", "ls" -> {
                List<String> names = Namespaces.list(pool);
                if (CephJson.formatted(a)) {
                    List<Object> items = new ArrayList<>();
                    for (String n : names) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("name", n);
                        items.add(m);
                    }
                    CephJson.print(out, a, "namespaces", new CephJson.Items("namespace", items));
                } else if (!names.isEmpty()) {
                    RbdCommand.TextTable t = new RbdCommand.TextTable(new String[] {"NAME"}, new boolean[] {false});
                    for (String n : names) {
                        t.row(n);
                    }
                    t.print(out);
                }
                out.flush();
                return 0;
            }
            default -> throw new UsageException("usage: rbd namespace <create|list|remove> POOL/NAMESPACE");
        }
    }

}
