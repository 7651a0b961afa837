package org.jceph.encoding;

/**
 * A versioned struct whose compat version is newer than anything this decoder understands. Ceph
 * raises the compat version only when older readers would misread the struct, so decoding must stop.
 */
public final class UnsupportedVersionException extends DecodeException {
    private static final long serialVersionUID = 1L;

    private final int structVersion;
    private final int compatVersion;
    private final int maxSupported;

    public UnsupportedVersionException(String struct, long offset, int structVersion, int compatVersion,
            int maxSupported) {
        super(struct, offset, "struct_v " + structVersion + " needs a decoder of version >= " + compatVersion
                + ", this decoder reads up to " + maxSupported);
        this.structVersion = structVersion;
        this.compatVersion = compatVersion;
        this.maxSupported = maxSupported;
    }

    public int structVersion() {
        return structVersion;
    }

    public int compatVersion() {
        return compatVersion;
    }

    public int maxSupported() {
        return maxSupported;
    }
}
