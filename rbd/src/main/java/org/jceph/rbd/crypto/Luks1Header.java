package org.jceph.rbd.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

/**
 * The LUKS1 on-disk header (592 bytes, big-endian, then the key material of each slot at its own
 * sector offset). Layout, by field: magic[6] version:u16 cipherName[32] cipherMode[32]
 * hashSpec[32] payloadOffset:u32 (sectors) keyBytes:u32 mkDigest[20] mkDigestSalt[32]
 * mkDigestIterations:u32 uuid[40], then 8 key slots of active:u32 iterations:u32 salt[32]
 * keyMaterialOffset:u32 (sectors) stripes:u32.
 */
final class Luks1Header extends LuksHeader {
    static final int SIZE = 592;
    static final int SLOTS = 8;
    static final int SLOT_ACTIVE = 0x00AC71F3;
    static final int SLOT_INACTIVE = 0x0000DEAD;
    private static final int OFF_CIPHER = 8;
    private static final int OFF_MODE = 40;
    private static final int OFF_HASH = 72;
    private static final int OFF_PAYLOAD = 104;
    private static final int OFF_KEYBYTES = 108;
    private static final int OFF_MKDIGEST = 112;
    private static final int OFF_MKSALT = 132;
    private static final int OFF_MKITER = 164;
    private static final int OFF_UUID = 168;
    private static final int OFF_SLOTS = 208;
    private static final int SLOT_SIZE = 48;
    private static final int DIGEST_SIZE = 20;
    private static final int SALT_SIZE = 32;

    private final String cipher;
    private final String mode;
    private final String hash;
    private final long payloadSectors;
    private final int keyBytes;
    private final byte[] mkDigest;
    private final byte[] mkSalt;
    private final long mkIterations;
    private final byte[] raw;

    private Luks1Header(byte[] h) {
        raw = Arrays.copyOf(h, SIZE);
        cipher = cString(h, OFF_CIPHER, 32);
        mode = cString(h, OFF_MODE, 32);
        hash = cString(h, OFF_HASH, 32);
        payloadSectors = be(h, OFF_PAYLOAD, 4);
        keyBytes = (int) be(h, OFF_KEYBYTES, 4);
        mkDigest = Arrays.copyOfRange(h, OFF_MKDIGEST, OFF_MKDIGEST + DIGEST_SIZE);
        mkSalt = Arrays.copyOfRange(h, OFF_MKSALT, OFF_MKSALT + SALT_SIZE);
        mkIterations = be(h, OFF_MKITER, 4);
        if (keyBytes <= 0 || keyBytes > 512) {
            throw new LuksException(-22, "LUKS1 header: key size " + keyBytes + " out of range");
        }
    }

    static Luks1Header parse(byte[] head) {
        if (head.length < SIZE || probe(head) != 1) {
            throw new LuksException.NotEncryptedException("no LUKS1 header");
        }
        return new Luks1Header(head);
    }

    @Override
    int version() {
        return 1;
    }

    @Override
    String cipher() {
        return cipher;
    }

    @Override
    String cipherMode() {
        return mode;
    }

    String hash() {
        return hash;
    }

    @Override
    int keyBytes() {
        return keyBytes;
    }

    @Override
    long dataOffset() {
        return payloadSectors * 512;
    }

    @Override
    int sectorSize() {
        return 512;
    }

    @Override
    byte[] unlock(byte[] passphrase, RangeReader reader) {
        for (int s = 0; s < SLOTS; s++) {
            int o = OFF_SLOTS + s * SLOT_SIZE;
            if (be(raw, o, 4) != SLOT_ACTIVE) {
                continue;
            }
            long iterations = be(raw, o + 4, 4);
            byte[] salt = Arrays.copyOfRange(raw, o + 8, o + 8 + SALT_SIZE);
            long materialSector = be(raw, o + 40, 4);
            int stripes = (int) be(raw, o + 44, 4);
            if (stripes < 1 || stripes > 1 << 20) {
                throw new LuksException(-22, "LUKS1 key slot " + s + ": " + stripes + " stripes");
            }
            int materialLen = roundUp(keyBytes * stripes, 512);
            byte[] derived = Kdf.pbkdf2(hash, passphrase, salt, iterations, keyBytes);
            byte[] material = reader.read(materialSector * 512, materialLen);
            byte[] split = decryptArea(cipher + "-" + mode, derived, material);
            Arrays.fill(derived, (byte) 0);
            byte[] key = AntiForensic.merge(split, keyBytes, stripes, hash);
            Arrays.fill(split, (byte) 0);
            if (checkDigest(key)) {
                return key;
            }
            Arrays.fill(key, (byte) 0);
        }
        throw new LuksException.WrongPassphraseException();
    }

    private boolean checkDigest(byte[] key) {
        byte[] d = Kdf.pbkdf2(hash, key, mkSalt, mkIterations, DIGEST_SIZE);
        return MessageDigest.isEqual(d, mkDigest);
    }

    /**
     * A new header region (the header and the key material of slot 0, up to where slot 0 ends)
     * with the volume key in slot 0 under the passphrase.
     */
    static byte[] format(int keyBytes, byte[] volumeKey, byte[] passphrase, long dataOffset, KdfOptions kdf,
            SecureRandom random) {
        String hash = "sha256";
        int slotSectors = roundUp(roundUp(keyBytes * STRIPES, 512), 4096) / 512;
        int firstSector = 4096 / 512;
        byte[] out = new byte[(firstSector + slotSectors) * 512];
        System.arraycopy(MAGIC, 0, out, 0, 6);
        putBe(out, 6, 2, 1);
        putCString(out, OFF_CIPHER, 32, "aes");
        putCString(out, OFF_MODE, 32, "xts-plain64");
        putCString(out, OFF_HASH, 32, hash);
        putBe(out, OFF_PAYLOAD, 4, dataOffset / 512);
        putBe(out, OFF_KEYBYTES, 4, keyBytes);
        byte[] mkSalt = new byte[SALT_SIZE];
        random.nextBytes(mkSalt);
        int mkIter = kdf.digestIterations();
        byte[] digest = Kdf.pbkdf2(hash, volumeKey, mkSalt, mkIter, DIGEST_SIZE);
        System.arraycopy(digest, 0, out, OFF_MKDIGEST, DIGEST_SIZE);
        System.arraycopy(mkSalt, 0, out, OFF_MKSALT, SALT_SIZE);
        putBe(out, OFF_MKITER, 4, mkIter);
        putCString(out, OFF_UUID, 40, uuid(random));
        for (int s = 0; s < SLOTS; s++) {
            int o = OFF_SLOTS + s * SLOT_SIZE;
            putBe(out, o, 4, SLOT_INACTIVE);
            putBe(out, o + 40, 4, firstSector + (long) s * slotSectors);
            putBe(out, o + 44, 4, STRIPES);
        }
        // slot 0
        int o = OFF_SLOTS;
        byte[] salt = new byte[SALT_SIZE];
        random.nextBytes(salt);
        int iterations = kdf.pbkdf2Iterations();
        putBe(out, o, 4, SLOT_ACTIVE);
        putBe(out, o + 4, 4, iterations);
        System.arraycopy(salt, 0, out, o + 8, SALT_SIZE);
        byte[] derived = Kdf.pbkdf2(hash, passphrase, salt, iterations, keyBytes);
        byte[] split = AntiForensic.split(volumeKey, STRIPES, hash, random);
        byte[] area = Arrays.copyOf(split, roundUp(split.length, 512));
        Arrays.fill(split, (byte) 0);
        encryptArea(derived, area);
        Arrays.fill(derived, (byte) 0);
        System.arraycopy(area, 0, out, firstSector * 512, area.length);
        return out;
    }

    static String uuid(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        long hi = be(b, 0, 8);
        long lo = be(b, 8, 8);
        return new UUID(hi, lo).toString();
    }
}
