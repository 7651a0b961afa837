package org.jceph.rbd.layout;

import java.util.List;

/**
 * A byte range inside one object, and the pieces of the image (or of the caller's buffer) it
 * holds: {@code bufferExtents} are (offset into the request, length) pairs in object order.
 */
public record ObjectExtent(long objectNumber, long offset, long length, List<long[]> bufferExtents) {
}
