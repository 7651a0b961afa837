package org.jceph.cli.rbd;

import java.io.PrintStream;
import org.jceph.cli.UsageException;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.ImageCopy;
import org.jceph.rbd.OpenOptions;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.RbdImage;
import org.jceph.rbd.Sparsify;

/**
 * {@code rbd cp}, {@code rbd deep cp} and {@code rbd sparsify}, as the stock tool runs them: the
 * source may name a snapshot ({@code pool/image@snap}); the destination's layout options are
 * create's ({@code --order}/{@code --object-size}, {@code --image-feature},
 * {@code --stripe-unit}/{@code --stripe-count}, {@code --data-pool}) and default to the source's;
 * failures print the stock tool's words ({@code rbd: copy failed: (17) File exists}).
 */
final class RbdCopyCommands {
    private RbdCopyCommands() {
    }

    static int run(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) {
        String cmd = a.pos().get(0);
        if (cmd.equals("sparsify")) {
            return sparsify(a, rados, err);
        }
        boolean deep = cmd.equals("deep");
        if (deep) {
            String sub = a.pos().size() > 1 ? a.pos().get(1) : "";
            if (!sub.equals("cp") && !sub.equals("copy")) {
                throw new UsageException("usage: rbd deep cp <source-image-or-snap-spec> <dest-image-spec>");
            }
        }
        int first = deep ? 2 : 1;
        String[] src = RbdCommand.spec(a, first);
        String[] dst = RbdCommand.spec(a, first + 1);
        if (a.opts().containsKey("dest-pool") || a.opts().containsKey("dest-namespace")) {
            dst[0] = RbdCommand.poolSpec(a.opt("dest-pool", RbdCommand.poolOf(dst[0])),
                    a.opt("dest-namespace", RbdCommand.namespaceOf(dst[0])));
        }
        int at = src[1].indexOf('@');
        String snap = at < 0 ? a.opt("snap", null) : src[1].substring(at + 1);
        String image = at < 0 ? src[1] : src[1].substring(0, at);
        ImageCopy.Options o = options(a, rados, deep);
        IoCtx dstIo = RbdCommand.io(rados, dst[0]);
        String what = deep ? "Image deep copy" : "Image copy";
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, what);
        try (RbdImage img = RbdImage.open(RbdCommand.io(rados, src[0]), image,
                snap == null ? OpenOptions.readOnlyHead() : OpenOptions.atSnapshot(snap))) {
            if (deep) {
                ImageCopy.deepCopy(img, dstIo, dst[1], o, progress);
            } else {
                ImageCopy.copy(img, dstIo, dst[1], o, progress);
            }
        } catch (RbdException.ImageNotFoundException e) {
            throw e;
        } catch (RbdException e) {
            progress.fail();
            err.println("rbd: " + (deep ? "deep copy" : "copy") + " failed: " + strerror(e));
            return Math.min(255, Math.abs(e.errno()));
        }
        progress.done();
        return 0;
    }

    static ImageCopy.Options options(RbdCommand.Args a, RadosClient rados, boolean deep) {
        ImageCopy.Options o = new ImageCopy.Options();
        if (a.opts().containsKey("order") || a.opts().containsKey("object-size")) {
            o.order(RbdCommand.orderOf(a));
        }
        if (a.opts().containsKey("image-feature")) {
            o.features(RbdCommand.features(a));
        }
        if (a.opts().containsKey("stripe-unit") || a.opts().containsKey("stripe-count")) {
            long unit = a.opts().containsKey("stripe-unit")
                    ? RbdCommand.parseSize(a.opt("stripe-unit", null), "--stripe-unit") : 0;
            long count = Long.parseLong(a.opt("stripe-count", "1"));
            if (unit == 0) {
                unit = 1L << RbdCommand.orderOf(a);
            }
            o.striping(unit, count);
        }
        if (a.opts().containsKey("data-pool")) {
            o.dataPool(rados.ioCtx(a.opt("data-pool", null)));
        }
        if (a.opts().containsKey("sparse-size")) {
            if (deep) {
                throw new UsageException("rbd deep cp takes no --sparse-size");
            }
            o.sparseSize(RbdCommand.parseSize(a.opt("sparse-size", null), "--sparse-size"));
        }
        if (a.flags().contains("flatten")) {
            if (!deep) {
                throw new UsageException("--flatten is an option of rbd deep cp");
            }
            o.flatten(true);
        }
        o.cloneFormat(rados.osdMap().requireMinCompatClient() >= 13 ? RbdImage.CloneFormat.V2 : null);
        return o;
    }

    private static int sparsify(RbdCommand.Args a, RadosClient rados, PrintStream err) {
        String[] spec = RbdCommand.spec(a, 1);
        long sparse = a.opts().containsKey("sparse-size")
                ? RbdCommand.parseSize(a.opt("sparse-size", null), "--sparse-size") : Sparsify.DEFAULT_SPARSE_SIZE;
        if (sparse < 4096 || Long.bitCount(sparse) != 1) {
            // the tool's own check, before it opens anything
            err.println("rbd: sparse size should be power of two not less than 4096");
            return 22;
        }
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, "Image sparsify");
        try (RbdImage img = RbdImage.open(RbdCommand.io(rados, spec[0]), spec[1], false)) {
            Sparsify.sparsify(img, sparse, progress);
        } catch (RbdException.ImageNotFoundException e) {
            throw e;
        } catch (RbdException e) {
            progress.fail();
            err.println("rbd: sparsify error: " + strerror(e));
            return Math.min(255, Math.abs(e.errno()));
        }
        progress.done();
        return 0;
    }

    /** librbd's cpp_strerror shape: "(17) File exists". */
    static String strerror(RbdException e) {
        int n = Math.abs(e.errno());
        String text = switch (n) {
            case 2 -> "No such file or directory";
            case 5 -> "Input/output error";
            case 17 -> "File exists";
            case 22 -> "Invalid argument";
            case 38 -> "Function not implemented";
            default -> e.getMessage();
        };
        return "(" + n + ") " + text;
    }
}
