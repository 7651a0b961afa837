package org.jceph.rbd.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LUKS2 header: two copies (primary at 0, secondary at {@code hdr_size}), each a 4096-byte
 * binary header followed by the JSON metadata area, NUL-padded. The binary header, big-endian:
 * magic[6] version:u16 hdr_size:u64 seqid:u64 label[48] checksum_alg[32] salt[64] uuid[40]
 * subsystem[48] hdr_offset:u64 padding[184] csum[64] padding[3584]. The checksum is the
 * checksum_alg hash of the whole {@code hdr_size} bytes with the csum field zeroed.
 */
final class Luks2Header extends LuksHeader {
    static final int BINARY_SIZE = 4096;
    static final int DEFAULT_HDR_SIZE = 16384;
    private static final int OFF_HDR_SIZE = 8;
    private static final int OFF_SEQID = 16;
    private static final int OFF_CSUM_ALG = 72;
    private static final int OFF_SALT = 104;
    private static final int OFF_UUID = 168;
    private static final int OFF_HDR_OFFSET = 256;
    private static final int OFF_CSUM = 448;
    private static final int CSUM_SIZE = 64;
    /** Allowed LUKS2 header sizes (binary header and JSON area), 16 KiB to 4 MiB. */
    static final long MAX_HDR_SIZE = 4 << 20;

    private final Map<String, Object> json;
    private final String encryption;
    private final long dataOffset;
    private final int sectorSize;
    private final int keyBytes;

    private Luks2Header(Map<String, Object> json) {
        this.json = json;
        Map<String, Object> config = Json.obj(json, "config");
        if (config.containsKey("requirements")) {
            Object req = config.get("requirements");
            if (req instanceof Map && ((Map<?, ?>) req).get("mandatory") instanceof List
                    && !((List<?>) ((Map<?, ?>) req).get("mandatory")).isEmpty()) {
                throw new LuksException(-95, "LUKS2 header has mandatory requirements "
                        + ((Map<?, ?>) req).get("mandatory"));
            }
        }
        Map<String, Object> segments = Json.obj(json, "segments");
        if (segments.size() != 1) {
            throw new LuksException(-95, "LUKS2 header has " + segments.size() + " segments, not 1");
        }
        Map<String, Object> seg = Json.obj(segments, segments.keySet().iterator().next());
        if (!"crypt".equals(seg.get("type"))) {
            throw new LuksException(-95, "LUKS2 segment type " + seg.get("type"));
        }
        encryption = Json.str(seg, "encryption");
        dataOffset = Json.num(seg, "offset");
        long ss = Json.num(seg, "sector_size");
        if (ss != 512 && ss != 1024 && ss != 2048 && ss != 4096) {
            throw new LuksException(-22, "LUKS2 sector size " + ss);
        }
        sectorSize = (int) ss;
        if (seg.containsKey("iv_tweak") && Json.num(seg, "iv_tweak") != 0) {
            throw new LuksException(-95, "LUKS2 segment with a non-zero iv_tweak");
        }
        if (!"dynamic".equals(seg.get("size"))) {
            throw new LuksException(-95, "LUKS2 segment of fixed size " + seg.get("size"));
        }
        int kb = -1;
        Map<String, Object> digests = Json.obj(json, "digests");
        for (String d : digests.keySet()) {
            Map<String, Object> dg = Json.obj(digests, d);
            Map<String, Object> keyslots = Json.obj(json, "keyslots");
            Object slots = dg.get("keyslots");
            if (slots instanceof List) {
                for (Object k : (List<?>) slots) {
                    if (keyslots.get(k) instanceof Map) {
                        kb = (int) Json.num(Json.obj(keyslots, (String) k), "key_size");
                    }
                }
            }
        }
        keyBytes = kb;
    }

    /**
     * Parses the first valid copy. {@code head} holds at least the primary header's hdr_size
     * bytes (and the secondary's, for a fallback); see {@link #headerSize(byte[])}.
     */
    static Luks2Header parse(byte[] head) {
        if (probe(head) != 2) {
            throw new LuksException.NotEncryptedException("no LUKS2 header");
        }
        LuksException first;
        try {
            return new Luks2Header(metadata(head, 0));
        } catch (LuksException e) {
            first = e;
        }
        long size = headerSize(head);
        if (size > 0 && head.length >= 2 * size) {
            try {
                return new Luks2Header(metadata(head, (int) size));
            } catch (LuksException e) {
                first.addSuppressed(e);
            }
        }
        throw first;
    }

    /** The primary's hdr_size, or -1 when out of range. */
    static long headerSize(byte[] head) {
        long size = be(head, OFF_HDR_SIZE, 8);
        if (size < DEFAULT_HDR_SIZE || size > MAX_HDR_SIZE || Long.bitCount(size) != 1) {
            return -1;
        }
        return size;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(byte[] b, int at) {
        byte[] magic = at == 0 ? MAGIC : MAGIC2;
        if (b.length < at + BINARY_SIZE || !Arrays.equals(b, at, at + 6, magic, 0, 6) || be(b, at + 6, 2) != 2) {
            throw new LuksException(-22, "LUKS2 header copy at " + at + ": bad magic");
        }
        long size = be(b, at + OFF_HDR_SIZE, 8);
        if (size < DEFAULT_HDR_SIZE || size > MAX_HDR_SIZE || Long.bitCount(size) != 1 || b.length < at + size) {
            throw new LuksException(-22, "LUKS2 header copy at " + at + ": header size " + size);
        }
        if (be(b, at + OFF_HDR_OFFSET, 8) != at) {
            throw new LuksException(-22, "LUKS2 header copy at " + at + ": wrong hdr_offset");
        }
        String alg = cString(b, at + OFF_CSUM_ALG, 32);
        byte[] copy = Arrays.copyOfRange(b, at, at + (int) size);
        Arrays.fill(copy, OFF_CSUM, OFF_CSUM + CSUM_SIZE, (byte) 0);
        MessageDigest md = Kdf.digest(alg);
        byte[] sum = md.digest(copy);
        if (!Arrays.equals(sum, 0, sum.length, b, at + OFF_CSUM, at + OFF_CSUM + sum.length)) {
            throw new LuksException(-22, "LUKS2 header copy at " + at + ": checksum mismatch");
        }
        int end = BINARY_SIZE;
        while (end < size && copy[end] != 0) {
            end++;
        }
        Object v = Json.parse(new String(copy, BINARY_SIZE, end - BINARY_SIZE, StandardCharsets.UTF_8));
        if (!(v instanceof Map)) {
            throw new LuksException(-22, "LUKS2 metadata is not a JSON object");
        }
        return (Map<String, Object>) v;
    }

    @Override
    int version() {
        return 2;
    }

    @Override
    String cipher() {
        int dash = encryption.indexOf('-');
        return dash < 0 ? encryption : encryption.substring(0, dash);
    }

    @Override
    String cipherMode() {
        int dash = encryption.indexOf('-');
        return dash < 0 ? "" : encryption.substring(dash + 1);
    }

    @Override
    int keyBytes() {
        return keyBytes;
    }

    @Override
    long dataOffset() {
        return dataOffset;
    }

    @Override
    int sectorSize() {
        return sectorSize;
    }

    @Override
    byte[] unlock(byte[] passphrase, RangeReader reader) {
        Map<String, Object> keyslots = Json.obj(json, "keyslots");
        Map<String, Object> digests = Json.obj(json, "digests");
        for (String id : keyslots.keySet()) {
            Map<String, Object> ks = Json.obj(keyslots, id);
            if (!"luks2".equals(ks.get("type")) || Long.valueOf(0).equals(ks.get("priority"))) {
                continue;
            }
            List<Map<String, Object>> ds = new ArrayList<>();
            for (String d : digests.keySet()) {
                Map<String, Object> dg = Json.obj(digests, d);
                if (dg.get("keyslots") instanceof List && ((List<?>) dg.get("keyslots")).contains(id)
                        && dg.get("segments") instanceof List && !((List<?>) dg.get("segments")).isEmpty()) {
                    ds.add(dg);
                }
            }
            if (ds.isEmpty()) {
                continue; // an unbound key slot does not open the data segment
            }
            int keySize = (int) Json.num(ks, "key_size");
            Map<String, Object> area = Json.obj(ks, "area");
            Map<String, Object> af = Json.obj(ks, "af");
            Map<String, Object> kdf = Json.obj(ks, "kdf");
            if (!"raw".equals(area.get("type")) || !"luks1".equals(af.get("type"))) {
                throw new LuksException(-95, "LUKS2 key slot " + id + ": unsupported area or AF type");
            }
            int areaKey = (int) Json.num(area, "key_size");
            int stripes = (int) Json.num(af, "stripes");
            if (keySize < 1 || keySize > 512 || stripes < 1 || stripes > 1 << 20) {
                throw new LuksException(-22, "LUKS2 key slot " + id + ": key size or stripes out of range");
            }
            byte[] derived = derive(kdf, passphrase, areaKey);
            long areaOffset = Json.num(area, "offset");
            int len = roundUp(keySize * stripes, 512);
            if (len > Json.num(area, "size")) {
                throw new LuksException(-22, "LUKS2 key slot " + id + ": area too small");
            }
            byte[] material = reader.read(areaOffset, len);
            decryptArea(Json.str(area, "encryption"), derived, material);
            Arrays.fill(derived, (byte) 0);
            byte[] key = AntiForensic.merge(material, keySize, stripes, Json.str(af, "hash"));
            Arrays.fill(material, (byte) 0);
            for (Map<String, Object> dg : ds) {
                if (!"pbkdf2".equals(dg.get("type"))) {
                    throw new LuksException(-95, "LUKS2 digest type " + dg.get("type"));
                }
                byte[] want = base64(dg, "digest");
                byte[] got = Kdf.pbkdf2(Json.str(dg, "hash"), key, base64(dg, "salt"), Json.num(dg, "iterations"),
                        want.length);
                if (MessageDigest.isEqual(want, got)) {
                    return key;
                }
            }
            Arrays.fill(key, (byte) 0);
        }
        throw new LuksException.WrongPassphraseException();
    }

    private static byte[] base64(Map<String, Object> m, String key) {
        try {
            return Base64.getDecoder().decode(Json.str(m, key));
        } catch (IllegalArgumentException e) {
            throw new LuksException(-22, "LUKS2 JSON metadata: '" + key + "' is not base64");
        }
    }

    private static byte[] derive(Map<String, Object> kdf, byte[] passphrase, int length) {
        String type = Json.str(kdf, "type");
        byte[] salt = base64(kdf, "salt");
        switch (type) {
            case "pbkdf2":
                return Kdf.pbkdf2(Json.str(kdf, "hash"), passphrase, salt, Json.num(kdf, "iterations"), length);
            case "argon2i":
            case "argon2id":
                long time = Json.num(kdf, "time");
                long mem = Json.num(kdf, "memory");
                long cpus = Json.num(kdf, "cpus");
                if (time > 1 << 20 || mem > 4L * 1024 * 1024 || cpus > 16) {
                    throw new LuksException(-22, "Argon2 costs out of range");
                }
                return Kdf.argon2("argon2id".equals(type), passphrase, salt, (int) time, (int) mem, (int) cpus, length);
            default:
                throw new LuksException(-95, "unsupported LUKS2 KDF " + type);
        }
    }

    /** Keyslots area size cryptsetup gives a default LUKS2 header: 16 MiB less both header copies. */
    static final long KEYSLOTS_SIZE = (16 << 20) - 2 * DEFAULT_HDR_SIZE;

    /**
     * A new header region: both header copies and slot 0's area (Argon2id), up to where that area
     * ends. The data segment starts at {@code dataOffset}.
     */
    static byte[] format(int keyBytes, byte[] volumeKey, byte[] passphrase, long dataOffset, int sectorSize,
            KdfOptions kdf, SecureRandom random) {
        int hdr = DEFAULT_HDR_SIZE;
        long areaOffset = 2L * hdr;
        int areaSize = roundUp(keyBytes * STRIPES, 4096);
        String encryption = "aes-xts-plain64";

        byte[] slotSalt = new byte[32];
        random.nextBytes(slotSalt);
        byte[] digestSalt = new byte[32];
        random.nextBytes(digestSalt);
        byte[] digest = Kdf.pbkdf2("sha256", volumeKey, digestSalt, kdf.digestIterations(), 32);

        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> keyslots = new LinkedHashMap<>();
        Map<String, Object> ks = new LinkedHashMap<>();
        ks.put("type", "luks2");
        ks.put("key_size", (long) keyBytes);
        Map<String, Object> af = new LinkedHashMap<>();
        af.put("type", "luks1");
        af.put("stripes", (long) STRIPES);
        af.put("hash", "sha256");
        ks.put("af", af);
        Map<String, Object> area = new LinkedHashMap<>();
        area.put("type", "raw");
        area.put("offset", Long.toString(areaOffset));
        area.put("size", Integer.toString(areaSize));
        area.put("encryption", encryption);
        area.put("key_size", (long) keyBytes);
        ks.put("area", area);
        Map<String, Object> kdfJson = new LinkedHashMap<>();
        kdfJson.put("type", "argon2id");
        kdfJson.put("time", (long) kdf.argon2Time());
        kdfJson.put("memory", (long) kdf.argon2MemoryKiB());
        kdfJson.put("cpus", (long) kdf.argon2Lanes());
        kdfJson.put("salt", Base64.getEncoder().encodeToString(slotSalt));
        ks.put("kdf", kdfJson);
        keyslots.put("0", ks);
        root.put("keyslots", keyslots);
        root.put("tokens", new LinkedHashMap<String, Object>());
        Map<String, Object> segments = new LinkedHashMap<>();
        Map<String, Object> seg = new LinkedHashMap<>();
        seg.put("type", "crypt");
        seg.put("offset", Long.toString(dataOffset));
        seg.put("size", "dynamic");
        seg.put("iv_tweak", "0");
        seg.put("encryption", encryption);
        seg.put("sector_size", (long) sectorSize);
        segments.put("0", seg);
        root.put("segments", segments);
        Map<String, Object> digests = new LinkedHashMap<>();
        Map<String, Object> dg = new LinkedHashMap<>();
        dg.put("type", "pbkdf2");
        dg.put("keyslots", List.of("0"));
        dg.put("segments", List.of("0"));
        dg.put("hash", "sha256");
        dg.put("iterations", (long) kdf.digestIterations());
        dg.put("salt", Base64.getEncoder().encodeToString(digestSalt));
        dg.put("digest", Base64.getEncoder().encodeToString(digest));
        digests.put("0", dg);
        root.put("digests", digests);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("json_size", Integer.toString(hdr - BINARY_SIZE));
        config.put("keyslots_size", Long.toString(Math.min(KEYSLOTS_SIZE, dataOffset - areaOffset)));
        root.put("config", config);
        byte[] jsonBytes = Json.write(root).getBytes(StandardCharsets.UTF_8);
        if (jsonBytes.length >= hdr - BINARY_SIZE) {
            throw new LuksException("LUKS2 metadata does not fit its area");
        }

        byte[] out = new byte[(int) (areaOffset + areaSize)];
        String uuid = Luks1Header.uuid(random);
        for (int copy = 0; copy < 2; copy++) {
            int at = copy * hdr;
            System.arraycopy(copy == 0 ? MAGIC : MAGIC2, 0, out, at, 6);
            putBe(out, at + 6, 2, 2);
            putBe(out, at + OFF_HDR_SIZE, 8, hdr);
            putBe(out, at + OFF_SEQID, 8, 1);
            putCString(out, at + OFF_CSUM_ALG, 32, "sha256");
            byte[] salt = new byte[64];
            random.nextBytes(salt);
            System.arraycopy(salt, 0, out, at + OFF_SALT, 64);
            putCString(out, at + OFF_UUID, 40, uuid);
            putBe(out, at + OFF_HDR_OFFSET, 8, at);
            System.arraycopy(jsonBytes, 0, out, at + BINARY_SIZE, jsonBytes.length);
            byte[] sum = Kdf.digest("sha256").digest(Arrays.copyOfRange(out, at, at + hdr));
            System.arraycopy(sum, 0, out, at + OFF_CSUM, sum.length);
        }

        byte[] derived = Kdf.argon2(true, passphrase, slotSalt, kdf.argon2Time(), kdf.argon2MemoryKiB(),
                kdf.argon2Lanes(), keyBytes);
        byte[] split = AntiForensic.split(volumeKey, STRIPES, "sha256", random);
        byte[] material = Arrays.copyOf(split, roundUp(split.length, 512));
        Arrays.fill(split, (byte) 0);
        encryptArea(derived, material);
        Arrays.fill(derived, (byte) 0);
        System.arraycopy(material, 0, out, (int) areaOffset, material.length);
        return out;
    }
}
