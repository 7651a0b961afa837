package org.jceph.rbd.layout;

/**
 * How an image is cut into objects (librbd's file layout): objects of {@code objectSize} bytes,
 * filled {@code stripeUnit} bytes at a time across {@code stripeCount} objects. Without striping
 * v2, stripe unit = object size and stripe count = 1, so image byte {@code x} lives in object
 * {@code x / objectSize}.
 *
 * <p>Worked example, object size 1 MiB, stripe unit 64 KiB, stripe count 4 (an "object set" is 4
 * objects, 4 MiB): image bytes [0,64K) go to object 0, [64K,128K) to object 1, [128K,192K) to
 * object 2, [192K,256K) to object 3, then [256K,320K) to object 0 at offset 64K, and so on; image
 * byte 4 MiB starts object 4.
 *
 * @param objectSize bytes per object
 * @param stripeUnit bytes written to one object before moving to the next
 * @param stripeCount objects a stripe spans
 */
public record StripingLayout(long objectSize, long stripeUnit, long stripeCount) {
    /**
     * A layout, checked.
     *
     * @param objectSize bytes per object
     * @param stripeUnit bytes written to one object before moving to the next
     * @param stripeCount objects a stripe spans
     * @throws IllegalArgumentException when a size is not positive or the stripe unit does not divide the object size
     */
    public StripingLayout {
        if (objectSize <= 0 || stripeUnit <= 0 || stripeCount <= 0) {
            throw new IllegalArgumentException("object size, stripe unit and stripe count must be positive");
        }
        if (objectSize % stripeUnit != 0) {
            throw new IllegalArgumentException("stripe unit " + stripeUnit + " must divide object size " + objectSize);
        }
    }

    /**
     * The layout of an image without striping v2: objects of 2^order bytes.
     *
     * @param order log2 of the object size, 12 to 25
     * @return the layout
     */
    public static StripingLayout ofOrder(int order) {
        if (order < 12 || order > 25) {
            throw new IllegalArgumentException("object order " + order + " is outside 12..25 (4 KiB..32 MiB)");
        }
        long size = 1L << order;
        return new StripingLayout(size, size, 1);
    }

    /**
     * Bytes of one object set: {@code stripeCount} objects.
     *
     * @return the size in bytes
     */
    public long objectSetSize() {
        return objectSize * stripeCount;
    }

    /**
     * Whether the image uses striping v2 (anything but one object after another).
     *
     * @return true for striping v2
     */
    public boolean isStriped() {
        return stripeCount > 1 || stripeUnit != objectSize;
    }
}
