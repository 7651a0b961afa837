package org.jceph.crush;

/**
 * The map decodes but uses something this mapper cannot honour exactly (an unknown bucket
 * algorithm or hash, a Squid MSR rule step). Mapping refuses rather than return a different placement.
 */
public final class UnsupportedCrushFeatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedCrushFeatureException(String message) {
        super(message);
    }
}
