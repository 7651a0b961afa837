package org.jceph.cli.rbd;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jceph.cli.UsageException;
import org.jceph.rados.RadosClient;
import org.jceph.rbd.Image;
import org.jceph.rbd.RbdImage;
import org.jceph.rbd.crypto.CipherAlgorithm;
import org.jceph.rbd.crypto.EncryptedImage;
import org.jceph.rbd.crypto.EncryptionFormat;
import org.jceph.rbd.crypto.Luks;
import org.jceph.rbd.crypto.LuksException;

/**
 * {@code rbd encryption format [POOL/]IMAGE luks1|luks2 PASSPHRASE_FILE [--cipher-alg aes-128|aes-256]},
 * as Pacific's tool takes it: the passphrase is the file's bytes, as they are (no newline is
 * stripped), and errors are {@code rbd: encryption format error: (errno) text} with the errno as
 * the exit status. Also the helpers the I/O commands use to load encryption.
 */
final class RbdEncryptionCommands {
    private RbdEncryptionCommands() {
    }

    /** The first release whose tool quotes the passphrase file's path in its error. */
    private static final int RELEASE_REEF = 18;

    static int run(RbdCommand.Args a, RadosClient rados, PrintStream out, PrintStream err) throws IOException {
        String sub = a.pos().size() > 1 ? a.pos().get(1) : "";
        if (!sub.equals("format")) {
            throw new UsageException("usage: rbd encryption format [POOL/]IMAGE luks1|luks2 PASSPHRASE_FILE "
                    + "[--cipher-alg aes-128|aes-256]");
        }
        String[] spec = RbdCommand.spec(a, 2);
        if (a.pos().size() < 4) {
            err.println("rbd: must specify format.");
            return 22;
        }
        String formatName = a.pos().get(3);
        if (a.pos().size() < 5) {
            err.println("rbd: must specify passphrase-file.");
            return 22;
        }
        String passFile = a.pos().get(4);
        CipherAlgorithm alg;
        switch (a.opt("cipher-alg", "aes-256")) {
            case "aes-128" -> alg = CipherAlgorithm.AES128;
            case "aes-256" -> alg = CipherAlgorithm.AES256;
            default -> {
                err.println("rbd: invalid encryption algorithm");
                return 22;
            }
        }
        try (RbdImage img = RbdImage.open(RbdCommand.io(rados, spec[0]), spec[1], false)) {
            byte[] passphrase;
            try {
                passphrase = Files.readAllBytes(Path.of(passFile));
            } catch (NoSuchFileException e) {
                // Reef's tool quotes the path, Pacific's does not
                String shown = img.clusterRelease() >= RELEASE_REEF ? "'" + passFile + "'" : passFile;
                err.println("rbd: unable to open passphrase file " + shown + ": (2) No such file or directory");
                return 2;
            }
            EncryptionFormat format;
            if (formatName.equals("luks1")) {
                format = EncryptionFormat.LUKS1;
            } else if (formatName.equals("luks2")) {
                format = EncryptionFormat.LUKS2;
            } else {
                Arrays.fill(passphrase, (byte) 0);
                err.println("rbd: unsupported encryption format");
                return 95;
            }
            try {
                Luks.format(img, format, alg, passphrase);
            } catch (LuksException e) {
                err.println("rbd: encryption format error: " + errnoText(e.errno()));
                return Math.abs(e.errno());
            }
        }
        return 0;
    }

    /**
     * Loads encryption on an opened image when the command line asks for it
     * ({@code --encryption-format luks1|luks2|luks --encryption-passphrase-file FILE}, the options
     * newer rbd tools take); otherwise returns the image itself. Both options may be repeated,
     * once per layer of a clone whose layers have their own keys (the image's first, then its
     * parent's ...), as Reef's tool takes them for {@code rbd_encryption_load2}.
     */
    static Image maybeLoad(RbdCommand.Args a, Image image) throws IOException {
        List<String> formats = RbdCommand.layerOpts(a, "encryption-format");
        List<String> files = RbdCommand.layerOpts(a, "encryption-passphrase-file");
        if (formats.isEmpty() && files.isEmpty()) {
            return image;
        }
        if (formats.size() != files.size()) {
            throw new UsageException("--encryption-format and --encryption-passphrase-file go together, once per layer");
        }
        List<Luks.LayerSpec> specs = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < formats.size(); i++) {
                EncryptionFormat f = switch (formats.get(i)) {
                    case "luks1" -> EncryptionFormat.LUKS1;
                    case "luks2" -> EncryptionFormat.LUKS2;
                    case "luks" -> EncryptionFormat.LUKS;
                    default -> throw new UsageException("--encryption-format must be luks1, luks2 or luks");
                };
                specs.add(new Luks.LayerSpec(f, Files.readAllBytes(Path.of(files.get(i)))));
            }
        } catch (IOException | RuntimeException e) {
            for (Luks.LayerSpec s : specs) {
                java.util.Arrays.fill(s.passphrase(), (byte) 0);
            }
            throw e;
        }
        return Luks.load(image, specs);
    }

    static String errnoText(int errno) {
        org.jceph.rados.Errno e = org.jceph.rados.Errno.of(Math.abs(errno));
        return "(" + Math.abs(errno) + ") " + (e == null ? "Unknown error" : e.text());
    }
}
