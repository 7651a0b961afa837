package org.jceph.messenger.auth;

import java.util.List;
import java.util.stream.Collectors;
import org.jceph.messenger.EntityName;

/**
 * The monitors refused our key because its type is not in their {@code auth_allowed_ciphers}
 * (MonMap v10, Ceph 19.2.6+/20.2): e.g. a legacy {@code aes} key ("AQ...") against a cluster
 * that allows only {@code aes256k}. The monitor answers such a key with the same EACCES as a wrong
 * key (its log says "authentication failed due to unallowed cipher type"), so this is only
 * thrown when the cipher policy is known from a monitor map of this session; otherwise
 * {@link #refine} words the plain EACCES with the hint. Never carries key material.
 */
public final class CipherNotAllowedException extends AuthenticationException {
    private static final long serialVersionUID = 1L;
    private final int keyType;
    private final List<Integer> allowedCiphers;

    public CipherNotAllowedException(EntityName entity, String peer, int keyType, List<Integer> allowedCiphers) {
        super(entity, peer, "the monitors allow only " + names(allowedCiphers) + " keys (auth_allowed_ciphers) and "
                + entity + "'s key is " + CryptoKey.typeName(keyType) + ": rotate it to an allowed type"
                + " (ceph auth rotate " + entity + " --key-type " + CryptoKey.typeName(allowedCiphers.get(
                        allowedCiphers.size() - 1)) + ") or allow " + CryptoKey.typeName(keyType)
                + " (ceph mon set auth_allowed_ciphers ...)", 13);
        this.keyType = keyType;
        this.allowedCiphers = List.copyOf(allowedCiphers);
    }

    /** Our key's cephx type (CryptoKey.TYPE_*). */
    public int keyType() {
        return keyType;
    }

    /** The key types the monitors accept, from the monitor map. */
    public List<Integer> allowedCiphers() {
        return allowedCiphers;
    }

    private static String names(List<Integer> types) {
        return types.stream().map(CryptoKey::typeName).collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * Explains a monitor's EACCES for a key of {@code keyType}: a {@link CipherNotAllowedException}
     * when {@code allowedCiphers} (the last monitor map's policy; empty when unknown) excludes
     * that type; for a legacy aes key under an unknown policy, the same refusal with the hint
     * that the cipher may be the reason; otherwise {@code e} unchanged.
     */
    public static AuthenticationException refine(AuthenticationException e, int keyType, List<Integer> allowedCiphers) {
        if (e instanceof CipherNotAllowedException || e.errno() != 13 || e.entity() == null) {
            return e;
        }
        String peer = peerOf(e);
        if (!allowedCiphers.isEmpty() && !allowedCiphers.contains(keyType)) {
            CipherNotAllowedException c = new CipherNotAllowedException(e.entity(), peer, keyType, allowedCiphers);
            c.initCause(e);
            return c;
        }
        if (allowedCiphers.isEmpty() && keyType == CryptoKey.TYPE_AES) {
            AuthenticationException h = new AuthenticationException(e.entity(), peer, e.reason()
                    + "; or the key's legacy aes type is not allowed (Ceph 20.2 monitors accept only aes256k"
                    + " keys unless auth_allowed_ciphers includes aes)", 13);
            h.initCause(e);
            return h;
        }
        return e;
    }

    private static String peerOf(AuthenticationException e) {
        String m = e.getMessage();
        String head = "authentication of " + e.entity() + " to ";
        int end = m.indexOf(" failed: ");
        return m.startsWith(head) && end > head.length() ? m.substring(head.length(), end) : "the monitor";
    }
}
