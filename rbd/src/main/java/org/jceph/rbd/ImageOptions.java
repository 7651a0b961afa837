package org.jceph.rbd;

import java.util.Objects;
import org.jceph.rados.IoCtx;

/**
 * How to create an image: its size and, optionally, its object size, features, striping and data
 * pool (librbd's {@code rbd_image_options_t}). Unset choices take librbd's defaults: 4 MiB objects
 * (order 22), the features of {@code rbd_default_features} ({@link RbdFeatures#LIBRBD_DEFAULT}),
 * one object per stripe, data in the image's own pool.
 *
 * <pre>{@code
 * RbdImage.create(io, "vm1", ImageOptions.builder(10L << 30)
 *         .objectSize(1 << 20)
 *         .features(RbdFeatures.LAYERING | RbdFeatures.EXCLUSIVE_LOCK)
 *         .build());
 * }</pre>
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class ImageOptions {
    /** Default log2 of the object size: 4 MiB objects. */
    public static final int DEFAULT_ORDER = 22;

    private final long size;
    private final int order;
    private final long features;
    private final long stripeUnit;
    private final long stripeCount;
    private final IoCtx dataPool;

    private ImageOptions(Builder b) {
        this.size = b.size;
        this.order = b.order;
        this.features = b.features;
        this.stripeUnit = b.stripeUnit;
        this.stripeCount = b.stripeCount;
        this.dataPool = b.dataPool;
    }

    /**
     * Starts options for an image of {@code size} bytes.
     *
     * @param size the image's size in bytes, zero or more
     * @return a builder with librbd's defaults for everything else
     * @throws IllegalArgumentException when {@code size} is negative
     */
    public static Builder builder(long size) {
        return new Builder(size);
    }

    /**
     * The image's size.
     *
     * @return the size in bytes
     */
    public long size() {
        return size;
    }

    /**
     * The object size as a power of two.
     *
     * @return log2 of the object size, 12 to 25
     */
    public int order() {
        return order;
    }

    /**
     * The object size.
     *
     * @return the object size in bytes
     */
    public long objectSize() {
        return 1L << order;
    }

    /**
     * The feature bits asked for ({@link RbdFeatures}); striping v2 and data-pool are added at
     * create time when the layout needs them.
     *
     * @return the feature bits
     */
    public long features() {
        return features;
    }

    /**
     * The stripe unit.
     *
     * @return the stripe unit in bytes, or 0 for the object size
     */
    public long stripeUnit() {
        return stripeUnit;
    }

    /**
     * The stripe count.
     *
     * @return objects per stripe, or 0 for one
     */
    public long stripeCount() {
        return stripeCount;
    }

    /**
     * The pool of the data objects.
     *
     * @return the data pool, or null for the image's own pool
     */
    public IoCtx dataPool() {
        return dataPool;
    }

    @Override
    public String toString() {
        return "ImageOptions[size " + size + ", order " + order + ", features " + RbdFeatures.names(features)
                + (stripeUnit != 0 ? ", stripe " + stripeUnit + "x" + stripeCount : "")
                + (dataPool != null ? ", data pool " + dataPool.poolName() : "") + "]";
    }

    /** Builds {@link ImageOptions}; not thread-safe. */
    public static final class Builder {
        private final long size;
        private int order = DEFAULT_ORDER;
        private long features = RbdFeatures.LIBRBD_DEFAULT;
        private long stripeUnit;
        private long stripeCount;
        private IoCtx dataPool;

        private Builder(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("image size " + size + " is negative");
            }
            this.size = size;
        }

        /**
         * The object size as a power of two (librbd's {@code order}).
         *
         * @param order log2 of the object size, 12 (4 KiB) to 25 (32 MiB)
         * @return this builder
         * @throws IllegalArgumentException outside 12..25
         */
        public Builder order(int order) {
            if (order < 12 || order > 25) {
                throw new IllegalArgumentException("order " + order + " is outside 12..25 (4 KiB to 32 MiB objects)");
            }
            this.order = order;
            return this;
        }

        /**
         * The object size in bytes.
         *
         * @param bytes a power of two from 4 KiB to 32 MiB
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is not such a power of two
         */
        public Builder objectSize(long bytes) {
            if (bytes <= 0 || Long.bitCount(bytes) != 1) {
                throw new IllegalArgumentException("object size " + bytes + " is not a power of two");
            }
            return order(Long.numberOfTrailingZeros(bytes));
        }

        /**
         * The feature bits ({@link RbdFeatures}); by default librbd's {@code rbd_default_features}.
         *
         * @param features the feature bits
         * @return this builder
         */
        public Builder features(long features) {
            this.features = features;
            return this;
        }

        /**
         * Fancy striping (librbd's {@code stripe_unit}/{@code stripe_count}): {@code count} objects
         * per stripe, {@code unit} bytes to each in turn. The unit must divide the object size.
         *
         * @param unit the stripe unit in bytes, more than zero
         * @param count objects per stripe, one or more
         * @return this builder
         * @throws IllegalArgumentException when either is out of range
         */
        public Builder striping(long unit, long count) {
            if (unit <= 0 || count < 1) {
                throw new IllegalArgumentException("stripe unit " + unit + " and count " + count + " must be positive");
            }
            this.stripeUnit = unit;
            this.stripeCount = count;
            return this;
        }

        /**
         * A separate pool for the data objects (librbd's {@code data_pool}); the header, id and
         * object map stay in the image's pool.
         *
         * @param pool the data pool
         * @return this builder
         */
        public Builder dataPool(IoCtx pool) {
            this.dataPool = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /**
         * The options.
         *
         * @return immutable options
         * @throws IllegalArgumentException when the stripe unit does not divide the object size
         */
        public ImageOptions build() {
            if (stripeUnit != 0 && (1L << order) % stripeUnit != 0) {
                throw new IllegalArgumentException("stripe unit " + stripeUnit + " does not divide the object size "
                        + (1L << order));
            }
            return new ImageOptions(this);
        }
    }
}
