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
import org.jceph.rados.Errno;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.DiffStream;
import org.jceph.rbd.RbdException;
import org.jceph.rbd.RbdImage;

/**
 * {@code rbd export-diff}, {@code import-diff} and {@code merge-diff} with the stock tool's
 * arguments, messages, progress lines (stderr) and exit statuses (the errno). '-' is stdout or
 * stdin.
 */
final class RbdDiffCommands {
    private RbdDiffCommands() {
    }

    static int run(String cmd, RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err)
            throws IOException {
        return switch (cmd) {
            case "export-diff" -> exportDiff(a, rados, out, err);
            case "import-diff" -> importDiff(a, rados, err);
            case "merge-diff" -> mergeDiff(a, out, err);
            default -> throw new UsageException("unknown rbd command '" + cmd + "'");
        };
    }

    /** rbd export-diff [--from-snap S] [--whole-object] [POOL/]IMAGE[@SNAP] PATH|- */
    private static int exportDiff(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err)
            throws IOException {
        String[] spec = RbdCommand.spec(a, 1);
        String path = a.pos().size() > 2 ? a.pos().get(2) : a.opt("path", null);
        if (path == null) {
            throw new UsageException("usage: rbd export-diff [--from-snap SNAP] [--whole-object] [POOL/]IMAGE[@SNAP] PATH|-");
        }
        String[] snap = RbdCommand.splitSnap(spec[1]);
        String from = a.opt("from-snap", null);
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, "Exporting image");
        Path file = path.equals("-") ? null : Path.of(path);
        try (RbdImage head = RbdImage.open(RbdCommand.io(rados, spec[0]), snap[0], true)) {
            RbdImage view = snap[1] == null ? head : head.atSnapshot(snap[1]);
            if (from != null && view.snapshots().stream().noneMatch(s -> s.name().equals(from))) {
                err.println("rbd: export-diff error: (2) No such file or directory");
                return 2;
            }
            if (file == null) {
                DiffStream.export(view, from, snap[1], a.flags().contains("whole-object"), 1, out, progress::update);
            } else {
                boolean ok = false;
                try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(file,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 20)) {
                    DiffStream.export(view, from, snap[1], a.flags().contains("whole-object"), 1, o, progress::update);
                    ok = true;
                } finally {
                    if (!ok) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (FileAlreadyExistsException e) {
            err.println("rbd: export-diff error: (17) File exists");
            return 17;
        }
        progress.done();
        return 0;
    }

    /** rbd import-diff [--sparse-size N] PATH|- [POOL/]IMAGE */
    private static int importDiff(RbdCommand.Args a, RadosClient rados, PrintStream err) throws IOException {
        if (a.pos().size() < 3) {
            throw new UsageException("usage: rbd import-diff [--sparse-size BYTES] PATH|- [POOL/]IMAGE");
        }
        String path = a.pos().get(1);
        String[] spec = RbdCommand.spec(a, 2);
        int sparse = a.opts().containsKey("sparse-size")
                ? (int) RbdCommand.parseSize(a.opt("sparse-size", null), "--sparse-size") : DiffStream.DEFAULT_SPARSE_SIZE;
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, "Importing image diff");
        InputStream in;
        long length;
        if (path.equals("-")) {
            in = System.in;
            length = -1;
        } else {
            try {
                in = Files.newInputStream(Path.of(path));
                length = Files.size(Path.of(path));
            } catch (NoSuchFileException e) {
                err.println("rbd: error opening " + path);
                err.println("rbd: import-diff failed: (2) No such file or directory");
                return 2;
            }
        }
        try (RbdImage img = RbdImage.open(RbdCommand.io(rados, spec[0]), spec[1], false);
                InputStream src = new java.io.BufferedInputStream(in, 1 << 20)) {
            DiffStream.apply(img, src, sparse, length, progress::update);
        } catch (DiffStream.StartSnapshotMissingException e) {
            err.println(e.getMessage());
            return failed(err, "import-diff", Errno.EINVAL);
        } catch (DiffStream.EndSnapshotExistsException e) {
            err.println(e.getMessage());
            return failed(err, "import-diff", Errno.EEXIST);
        } catch (DiffStream.MalformedDiffException e) {
            err.println("rbd: " + e.getMessage());
            return failed(err, "import-diff", Errno.EBADMSG);
        }
        progress.done();
        return 0;
    }

    /** rbd merge-diff FIRST SECOND PATH|- (FIRST may be '-'). */
    private static int mergeDiff(RbdCommand.Args a, PrintStream out, PrintStream err) throws IOException {
        if (a.pos().size() < 4) {
            throw new UsageException("usage: rbd merge-diff FIRST_DIFF SECOND_DIFF PATH|-");
        }
        String first = a.pos().get(1);
        String second = a.pos().get(2);
        String path = a.pos().get(3);
        RbdCommand.Progress progress = new RbdCommand.Progress(a, err, "Merging image diff");
        try (InputStream f = first.equals("-") ? System.in : Files.newInputStream(Path.of(first));
                InputStream s = Files.newInputStream(Path.of(second))) {
            if (path.equals("-")) {
                DiffStream.merge(new java.io.BufferedInputStream(f), new java.io.BufferedInputStream(s), out,
                        progress::update);
            } else {
                Path p = Path.of(path);
                boolean ok = false;
                try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(p,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                    DiffStream.merge(new java.io.BufferedInputStream(f), new java.io.BufferedInputStream(s), o,
                            progress::update);
                    ok = true;
                } finally {
                    if (!ok) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            err.println("rbd: failed to open " + e.getFile());
            return failed(err, "merge-diff", Errno.ENOENT);
        } catch (FileAlreadyExistsException e) {
            return failed(err, "merge-diff", Errno.EEXIST);
        } catch (RbdException e) {
            err.println("rbd: " + e.getMessage());
            return failed(err, "merge-diff", Errno.EINVAL);
        }
        progress.done();
        return 0;
    }

    /** The stock tool's "rbd: X failed: (errno) strerror" line; the errno is the exit status. */
    private static int failed(PrintStream err, String what, Errno errno) {
        err.println("rbd: " + what + " failed: (" + errno.number() + ") " + errno.text());
        return errno.number();
    }
}
