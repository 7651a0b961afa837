package org.jceph.cli.rbd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jceph.cli.UsageException;
import org.jceph.rados.IoCtx;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.DiffStream;
import org.jceph.rbd.ImageExportV2;
import org.jceph.rbd.RbdImage;

/** {@code rbd export --export-format 2} and {@code rbd import --export-format 2}: images with their snapshots. */
final class RbdExportV2Commands {
    private RbdExportV2Commands() {
    }

    private static void checkFormat(RbdCommand.Args a) {
        if (!a.opt("export-format", "1").equals("2")) {
            throw new UsageException("--export-format must be 1 or 2");
        }
    }

    /** rbd export --export-format 2 [POOL/]IMAGE PATH|- */
    static int exportV2(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) throws IOException {
        checkFormat(a);
        String[] spec = RbdCommand.spec(a, 1);
        if (a.pos().size() < 3) {
            throw new UsageException("usage: rbd export --export-format 2 [POOL/]IMAGE PATH|-");
        }
        String path = a.pos().get(2);
        String name = RbdCommand.splitSnap(spec[1])[0]; // the stock tool exports HEAD and every snapshot regardless
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, "Exporting image");
        try (RbdImage img = RbdImage.open(RbdCommand.io(rados, spec[0]), name, true)) {
            if (path.equals("-")) {
                ImageExportV2.export(img, out, progress::update);
            } else {
                Path p = Path.of(path);
                boolean ok = false;
                try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(p,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 20)) {
                    ImageExportV2.export(img, o, progress::update);
                    ok = true;
                } finally {
                    if (!ok) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (FileAlreadyExistsException e) {
            err.println("rbd: export error: (17) File exists");
            return 17;
        }
        progress.done();
        return 0;
    }

    /** rbd import --export-format 2 [--order N|--object-size S] [--image-feature F] [--stripe-unit U --stripe-count C] [--data-pool P] PATH|- [POOL/]IMAGE */
    static int importV2(RbdCommand.Args a, RadosClient rados, PrintStream err) throws IOException {
        checkFormat(a);
        if (a.pos().size() < 3) {
            throw new UsageException("usage: rbd import --export-format 2 PATH|- [POOL/]IMAGE");
        }
        String path = a.pos().get(1);
        String[] spec = RbdCommand.spec(a, 2);
        IoCtx io = RbdCommand.io(rados, spec[0]);
        Integer order = a.opts().containsKey("object-size") || a.opts().containsKey("order") ? RbdCommand.orderOf(a) : null;
        Long features = a.opts().containsKey("image-feature") ? RbdCommand.features(a) : null;
        Long unit = a.opts().containsKey("stripe-unit")
                ? RbdCommand.parseSize(a.opt("stripe-unit", null), "--stripe-unit") : null;
        Long count = a.opts().containsKey("stripe-count") ? Long.valueOf(a.opt("stripe-count", null)) : null;
        String dataPool = a.opt("data-pool", null);
        ImageExportV2.Options opts = new ImageExportV2.Options(order, features, unit, count,
                dataPool == null ? null : rados.ioCtx(dataPool));
        int sparse = a.opts().containsKey("sparse-size")
                ? (int) RbdCommand.parseSize(a.opt("sparse-size", null), "--sparse-size") : DiffStream.DEFAULT_SPARSE_SIZE;
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, "Importing image");
        InputStream in;
        long size;
        if (path.equals("-")) {
            in = System.in;
            size = -1;
        } else {
            try {
                in = Files.newInputStream(Path.of(path));
                size = Files.size(Path.of(path));
            } catch (NoSuchFileException e) {
                err.println("rbd: error opening " + path);
                err.println("rbd: import failed: (2) No such file or directory");
                return 2;
            }
        }
        try (InputStream src = new java.io.BufferedInputStream(in, 1 << 20)) {
            ImageExportV2.importImage(io, spec[1], src, size, opts, sparse, progress::update);
        } catch (DiffStream.MalformedDiffException e) {
            err.println("rbd: " + e.getMessage());
            err.println("rbd: import failed: (22) Invalid argument");
            return 22;
        }
        progress.done();
        return 0;
    }
}
