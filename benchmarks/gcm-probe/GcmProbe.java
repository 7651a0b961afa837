// Standalone probe for docs/BENCHMARKS.md "Session 12: secure mode on JDK 25" (not built by Maven).
import javax.crypto.*;
import javax.crypto.spec.*;
import java.lang.management.*;

/** Thread CPU per op of AES-GCM/CTR variants. args: SIZE WARMUP OPS */
public class GcmProbe {
    static final ThreadMXBean TM = ManagementFactory.getThreadMXBean();
    static SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
    static byte[] nonce = new byte[12];
    static long ctrN = 0;
    static byte[] nextNonce() { ctrN++; for (int i = 0; i < 8; i++) nonce[4 + i] = (byte) (ctrN >>> (8 * i)); return nonce.clone(); }

    interface Op { void run() throws Exception; }

    public static void main(String[] a) throws Exception {
        int size = Integer.parseInt(a[0]), warm = Integer.parseInt(a[1]), ops = Integer.parseInt(a[2]);
        String only = a.length > 3 ? a[3] : null;
        byte[] plain = new byte[size];
        new java.util.Random(1).nextBytes(plain);
        byte[] out = new byte[size + 16];
        byte[] plainOut = new byte[size];
        byte[] scratch = new byte[4096 + 32];
        Cipher gE = Cipher.getInstance("AES/GCM/NoPadding");
        Cipher gD = Cipher.getInstance("AES/GCM/NoPadding");
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        Cipher tagger = Cipher.getInstance("AES/GCM/NoPadding");
        // A fixed sealed block for the decrypt variants
        byte[] fixedNonce = new byte[12]; fixedNonce[0] = 7;
        gE.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, fixedNonce));
        byte[] sealed = gE.doFinal(plain);
        byte[] fixedNonce2 = new byte[12]; fixedNonce2[0] = 8;
        gE.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, fixedNonce2));
        byte[] sealed2 = gE.doFinal(plain);
        int[] flip = {0};
        byte[] work = new byte[size + 16];
        byte[] fixedNonce1 = fixedNonce, sealed1 = sealed;
        java.util.LinkedHashMap<String, Op> m = new java.util.LinkedHashMap<>();
        m.put("enc-1call", () -> { gE.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nextNonce())); gE.doFinal(plain, 0, size, out, 0); });
        m.put("enc-4k", () -> { gE.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nextNonce()));
            int o = 0; for (int i = 0; i < size; i += 4096) o += gE.update(plain, i, Math.min(4096, size - i), out, o); gE.doFinal(out, o); });
        m.put("dec-1call", () -> { gD.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, fixedNonce)); gD.doFinal(sealed, 0, size + 16, plainOut, 0); });
        m.put("dec-copy-inplace", () -> { System.arraycopy(sealed, 0, work, 0, size + 16); gD.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, fixedNonce)); gD.doFinal(work, 0, size + 16, work, 0); });
        m.put("dec-ctr+tag-4k", () -> {
            byte[] fn = (flip[0] ^= 1) == 1 ? fixedNonce2 : fixedNonce1;
            byte[] sd = flip[0] == 1 ? sealed2 : sealed1;
            byte[] c0 = java.util.Arrays.copyOf(fn, 16); c0[15] = 2;
            ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(c0));
            tagger.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, fn));
            for (int i = 0; i < size; i += 4096) { int k = Math.min(4096, size - i); int made = ctr.update(sd, i, k, plainOut, i); tagger.update(plainOut, i, made, scratch, 0); }
            int last = tagger.doFinal(scratch, 0, 0, scratch, 0);
            if (!java.security.MessageDigest.isEqual(java.util.Arrays.copyOfRange(sd, size, size + 16), java.util.Arrays.copyOfRange(scratch, last - 16, last))) throw new AssertionError("tag");
        });
        if (System.getProperty("prewarm") != null) {
            int n = Integer.getInteger("prewarm");
            byte[] p4 = new byte[4096]; byte[] o4 = new byte[4096 + 16]; byte[] d4 = new byte[4096];
            byte[] nn = new byte[12]; nn[0] = 9;
            gE.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nn)); byte[] s4 = gE.doFinal(p4);
            long t0 = TM.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) { gD.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nn)); gD.doFinal(s4, 0, s4.length, d4, 0); }
            System.out.printf("prewarm %d x 4 KiB one-call decrypts: %.1f ms%n", n, (TM.getCurrentThreadCpuTime() - t0) / 1e6);
        }
        for (var e : m.entrySet()) {
            if (only != null && !e.getKey().equals(only)) continue;
            long t0 = TM.getCurrentThreadCpuTime();
            for (int i = 0; i < warm; i++) e.getValue().run();
            long t1 = TM.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) e.getValue().run();
            long t2 = TM.getCurrentThreadCpuTime();
            System.out.printf("%-18s size=%d warm %.1f us/op  steady %.1f us/op (%.0f MB/s)%n", e.getKey(), size,
                (t1 - t0) / 1e3 / Math.max(1, warm), (t2 - t1) / 1e3 / ops, (double) size * ops / ((t2 - t1) / 1e3));
        }
    }
}
