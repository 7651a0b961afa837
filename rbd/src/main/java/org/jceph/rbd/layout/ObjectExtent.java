package org.jceph.rbd.layout;

import java.util.List;

/**
 * A byte range inside one object, and the pieces of the image (or of the caller's buffer) it
 * holds: {@code bufferExtents} are (offset into the request, length) pairs in object order.
 *
 * @param objectNumber the object's number in the image
 * @param offset where the range starts in the object
 * @param length its length
 * @param bufferExtents the {offset into the request, length} pairs it holds
 */
public record ObjectExtent(long objectNumber, long offset, long length, List<long[]> bufferExtents) {
}
