package org.jceph.cli.nbd;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jceph.cli.UsageException;
import org.jceph.messenger.config.CephConfig;
import org.jceph.nbd.NbdServer;
import org.jceph.nbd.RbdExport;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.RbdImage;

/**
 * {@code jceph nbd serve rbd:POOL/IMAGE[@SNAP] [rbd:...] [--socket PATH | --bind ADDR:PORT]
 * [--read-only] [--export-name NAME] [--encryption-format luks1|luks2|luks --encryption-passphrase-file FILE]}:
 * serves RBD images to any NBD client, decrypted when an encryption format is given (as librbd's
 * encryption load; the passphrase is the file's bytes). SIGTERM (or Ctrl-C)
 * stops it cleanly: requests already received finish and are flushed first.
 */
public final class NbdServeCommand {
    private NbdServeCommand() {
    }

    /** An image spec as qemu writes it: {@code rbd:pool/image[@snap]} (the {@code rbd:} is optional). */
    record Spec(String pool, String image, String snap) {
        static Spec parse(String s) {
            String t = s.startsWith("rbd:") ? s.substring(4) : s;
            int colon = t.indexOf(':');
            if (colon >= 0) {
                t = t.substring(0, colon); // qemu-style options after ':' are not used here
            }
            int slash = t.indexOf('/');
            if (slash <= 0 || slash == t.length() - 1) {
                throw new UsageException("image spec '" + s + "' is not rbd:POOL/IMAGE[@SNAP]");
            }
            String pool = t.substring(0, slash);
            String rest = t.substring(slash + 1);
            int at = rest.indexOf('@');
            return at < 0 ? new Spec(pool, rest, null) : new Spec(pool, rest.substring(0, at), rest.substring(at + 1));
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("serve")) {
            throw new UsageException("usage: nbd serve rbd:POOL/IMAGE[@SNAP]... [--socket PATH | --bind ADDR:PORT] "
                    + "[--read-only] [--export-name NAME] [--encryption-format luks1|luks2|luks --encryption-passphrase-file FILE]");
        }
        List<Spec> specs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> cephArgs = new ArrayList<>();
        Path socket = null;
        InetSocketAddress bind = null;
        boolean readOnly = false;
        int queueDepth = 64;
        String encFormat = null;
        Path encPassFile = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--socket" -> socket = Path.of(value(args, ++i, a));
                case "--bind" -> {
                    String v = value(args, ++i, a);
                    int c = v.lastIndexOf(':');
                    if (c < 0) {
                        throw new UsageException("--bind needs ADDR:PORT");
                    }
                    bind = new InetSocketAddress(v.substring(0, c), Integer.parseInt(v.substring(c + 1)));
                }
                case "--read-only" -> readOnly = true;
                case "--export-name" -> names.add(value(args, ++i, a));
                case "--queue-depth" -> queueDepth = Integer.parseInt(value(args, ++i, a));
                case "--encryption-format" -> encFormat = value(args, ++i, a);
                case "--encryption-passphrase-file" -> encPassFile = Path.of(value(args, ++i, a));
                case "-c", "--conf", "--id", "-i", "--name", "-n", "--keyring", "-k", "-m" -> {
                    cephArgs.add(a);
                    cephArgs.add(value(args, ++i, a));
                }
                default -> specs.add(Spec.parse(a));
            }
        }
        if (specs.isEmpty()) {
            throw new UsageException("name at least one image: rbd:POOL/IMAGE");
        }
        if (names.size() > specs.size()) {
            throw new UsageException("more --export-name than images");
        }
        if (socket != null && bind != null) {
            throw new UsageException("--socket and --bind exclude each other");
        }
        if ((encFormat == null) != (encPassFile == null)) {
            throw new UsageException("--encryption-format and --encryption-passphrase-file go together");
        }
        org.jceph.rbd.crypto.EncryptionFormat encryption = encFormat == null ? null : switch (encFormat) {
            case "luks1" -> org.jceph.rbd.crypto.EncryptionFormat.LUKS1;
            case "luks2" -> org.jceph.rbd.crypto.EncryptionFormat.LUKS2;
            case "luks" -> org.jceph.rbd.crypto.EncryptionFormat.LUKS;
            default -> throw new UsageException("--encryption-format must be luks1, luks2 or luks");
        };
        try (RadosClient rados = RadosClient.connect(CephConfig.fromEnvironment(cephArgs.toArray(String[]::new)))) {
            NbdServer.Builder b = NbdServer.builder().queueDepth(queueDepth);
            List<RbdImage> images = new java.util.ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                Spec s = specs.get(i);
                String exportName = i < names.size() ? names.get(i) : s.image() + (s.snap() == null ? "" : "@" + s.snap());
                org.jceph.rados.IoCtx io = rados.ioCtx(s.pool());
                if (org.jceph.rbd.format1.Format1Image.exists(io, s.image())) {
                    org.jceph.rbd.format1.Format1Image f1 = org.jceph.rbd.format1.Format1Image.open(io, s.image(),
                            readOnly || s.snap() != null);
                    b.export(new RbdExport(exportName, decrypted(s.snap() == null ? f1 : f1.atSnapshot(s.snap()),
                            encryption, encPassFile)));
                    continue;
                }
                // a snapshot is served read-only, as qemu serves rbd:pool/image@snap
                RbdImage image = RbdImage.open(io, s.image(), readOnly || s.snap() != null);
                images.add(image);
                b.export(new RbdExport(exportName, decrypted(s.snap() == null ? image : image.atSnapshot(s.snap()),
                        encryption, encPassFile)));
            }
            if (socket != null) {
                b.bindUnix(socket);
            } else if (bind != null) {
                b.bindTcp(bind);
            }
            NbdServer server = b.build().start();
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                server.close();
                for (RbdImage image : images) {
                    try {
                        image.close(); // gives back the exclusive lock and drops the header watch
                    } catch (RuntimeException e) {
                        err.println("jceph nbd serve: closing " + image.name() + ": " + e.getMessage());
                    }
                }
                stopped.countDown();
            }, "nbd-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("serving " + server.exportNames() + " on " + server.localAddress());
            out.flush();
            stopped.await();
            return 0;
        } catch (IOException e) {
            err.println("jceph nbd serve: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The image itself, or its decrypted view when encryption was asked for (librbd's encryption load). */
    private static org.jceph.rbd.Image decrypted(org.jceph.rbd.Image image, org.jceph.rbd.crypto.EncryptionFormat format,
            Path passphraseFile) throws IOException {
        if (format == null) {
            return image;
        }
        return org.jceph.rbd.crypto.Luks.load(image, format, java.nio.file.Files.readAllBytes(passphraseFile));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }
}
