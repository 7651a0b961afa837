package org.jceph.cli.explain;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jceph.cli.UsageException;
import org.jceph.cli.viz.PlacementDiff;
import org.jceph.encoding.DecodeException;
import org.jceph.osdmap.OsdMap;
import org.jceph.osdmap.OsdMapCodec;

/** {@code jceph explain --diff MAP_A MAP_B POOL}: which PGs move when map A becomes map B. */
final class DiffCommand {
    private DiffCommand() {
    }

    static int run(List<String> pos, String format, String outFile, PrintStream out, PrintStream err) {
        if (pos.size() != 3) {
            throw new UsageException("usage: explain --diff MAP_A MAP_B POOL [--format text|svg|html] [-o FILE]");
        }
        OsdMap a;
        OsdMap b;
        try {
            a = OsdMapCodec.decode(Files.readAllBytes(Path.of(pos.get(0))));
            b = OsdMapCodec.decode(Files.readAllBytes(Path.of(pos.get(1))));
        } catch (IOException | DecodeException e) {
            err.println("jceph explain --diff: " + e.getMessage());
            return 1;
        }
        Long pool = poolId(a, pos.get(2));
        Long poolB = poolId(b, pos.get(2));
        if (pool == null || !pool.equals(poolB)) {
            err.println("jceph explain --diff: pool " + pos.get(2) + " is not in both maps");
            return 2;
        }
        PlacementDiff d = new PlacementDiff(a, b, pool);
        return switch (format) {
            case "svg" -> ExplainCommand.write(d.svg().toString(), outFile, out, err);
            case "html" -> ExplainCommand.write(d.html(), outFile, out, err);
            default -> {
                out.print(d.text());
                yield 0;
            }
        };
    }

    private static Long poolId(OsdMap map, String name) {
        for (Map.Entry<Long, String> e : map.poolNames().entrySet()) {
            if (e.getValue().equals(name) || String.valueOf(e.getKey()).equals(name)) {
                return e.getKey();
            }
        }
        return null;
    }
}
