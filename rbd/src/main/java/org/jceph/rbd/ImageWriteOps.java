package org.jceph.rbd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jceph.rados.RadosException;
import org.jceph.rbd.layout.ObjectExtent;
import org.jceph.rbd.layout.Striper;
import org.jceph.rbd.layout.StripingLayout;

/**
 * librbd's writesame and compare_and_write on an {@link RbdImage}, built on the OSD's WRITESAME
 * and CMPEXT ops.
 *
 * <p>writesame (librbd's rules): the pattern must not be empty and must divide the length
 * (EINVAL otherwise); an all-zero pattern is a write-zeroes (librbd's
 * {@code rbd_discard_on_zeroed_write_same}, on by default). Each object piece that starts on a
 * pattern boundary and holds whole patterns is one WRITESAME op; other pieces (striped layouts
 * cutting a pattern) are expanded and written.
 *
 * <p>compare_and_write (librbd's rules, ImageCompareAndWriteRequest): the two buffers have the
 * same length; the range must lie within one 512-byte sector and one stripe unit (EINVAL
 * otherwise), so it is always one object: CMPEXT and WRITE in one atomic op (after a copy-up for
 * a clone's absent object). A mismatch fails with {@link CompareMismatchException}.
 */
final class ImageWriteOps {
    /** librbd checks compare_and_write against this sector size. */
    static final int SECTOR = 512;
    private static final int EINVAL = 22;

    private ImageWriteOps() {
    }

    static CompletableFuture<Void> writeSame(RbdImage img, long offset, long length, byte[] pattern) {
        if (pattern == null || pattern.length == 0 || length < 0 || length % pattern.length != 0) {
            return CompletableFuture.failedFuture(new RbdException(EINVAL, "writesame: the length " + length
                    + " must be a whole multiple of a non-empty pattern"));
        }
        if (offset < 0 || offset > img.size() - length) {
            return CompletableFuture.failedFuture(new RbdException(EINVAL, "writesame: range " + offset + "+"
                    + length + " is outside the image (" + img.size() + " bytes)"));
        }
        if (length == 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (allZero(pattern)) {
            return img.writeZeroesAsync(offset, length);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (ObjectExtent x : Striper.fileToExtents(img.layout(), offset, length)) {
            List<long[]> bufs = x.bufferExtents();
            boolean whole = bufs.size() == 1 && bufs.get(0)[0] % pattern.length == 0
                    && x.length() % pattern.length == 0;
            if (whole) {
                parts.add(img.objectStep(x.objectNumber(), false, op -> op.writeSame(x.offset(), x.length(), pattern)));
            } else {
                byte[] piece = new byte[(int) x.length()];
                int at = 0;
                for (long[] b : bufs) {
                    for (int i = 0; i < b[1]; i++) {
                        piece[at + i] = pattern[(int) ((b[0] + i) % pattern.length)];
                    }
                    at += (int) b[1];
                }
                parts.add(img.objectStep(x.objectNumber(), false, op -> op.write(x.offset(), piece)));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /** Whether a compare-and-write of {@code length} bytes at {@code offset} is one librbd accepts. */
    static boolean compareAndWriteFits(StripingLayout layout, long offset, long length) {
        if (offset % SECTOR + length > SECTOR) {
            return false;
        }
        return offset % layout.stripeUnit() + length <= layout.stripeUnit();
    }

    static CompletableFuture<Void> compareAndWrite(RbdImage img, long offset, byte[] compare, byte[] data) {
        if (compare == null || data == null || compare.length != data.length) {
            return CompletableFuture.failedFuture(new RbdException(EINVAL,
                    "compare_and_write: the compare and write buffers must have the same length"));
        }
        long length = data.length;
        if (offset < 0 || offset > img.size() - length) {
            return CompletableFuture.failedFuture(new RbdException(EINVAL, "compare_and_write: range " + offset
                    + "+" + length + " is outside the image (" + img.size() + " bytes)"));
        }
        if (length == 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (!compareAndWriteFits(img.layout(), offset, length)) {
            return CompletableFuture.failedFuture(new RbdException(EINVAL, "compare_and_write: " + offset + "+"
                    + length + " crosses a 512-byte sector or a stripe unit (librbd refuses it too)"));
        }
        ObjectExtent x = Striper.fileToExtents(img.layout(), offset, length).get(0);
        return img.objectStep(x.objectNumber(), true, op -> op.cmpExt(x.offset(), compare).write(x.offset(), data))
                .exceptionallyCompose(err -> {
                    Throwable c = RadosException.unwrap(err);
                    if (c instanceof RadosException.CompareMismatchException m) {
                        return CompletableFuture.failedFuture(new CompareMismatchException(img.name(),
                                offset + m.offset()));
                    }
                    return CompletableFuture.failedFuture(c);
                });
    }

    static boolean allZero(byte[] b) {
        for (byte v : b) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
