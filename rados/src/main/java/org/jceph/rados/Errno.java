package org.jceph.rados;

import java.util.HashMap;
import java.util.Map;

/**
 * The Linux errno values Ceph daemons and librados report, with their C library strerror text:
 * the one table that {@link RadosException#of} and the command line tools use to name an error.
 * Ceph sends errno values negated ({@code -61}); {@link #of(int)} accepts either sign.
 */
public enum Errno {
    /** Operation not permitted: the key's caps forbid the op, or an object class refused it. */
    EPERM(1, "Operation not permitted"),
    /** No such file or directory: no such object, pool, image or entry. */
    ENOENT(2, "No such file or directory"),
    /** Interrupted system call. */
    EINTR(4, "Interrupted system call"),
    /** Input/output error. */
    EIO(5, "Input/output error"),
    /** Argument list too long. */
    E2BIG(7, "Argument list too long"),
    /** Exec format error: an object class that is not loaded. */
    ENOEXEC(8, "Exec format error"),
    /** Resource temporarily unavailable. */
    EAGAIN(11, "Resource temporarily unavailable"),
    /** Cannot allocate memory. */
    ENOMEM(12, "Cannot allocate memory"),
    /** Permission denied. */
    EACCES(13, "Permission denied"),
    /** Bad address. */
    EFAULT(14, "Bad address"),
    /** Device or resource busy: a lock held by another client, an image in use. */
    EBUSY(16, "Device or resource busy"),
    /** File exists: an exclusive create of an existing object, a lock already held. */
    EEXIST(17, "File exists"),
    /** Cross-device link. */
    EXDEV(18, "Invalid cross-device link"),
    /** Not a directory. */
    ENOTDIR(20, "Not a directory"),
    /** Is a directory. */
    EISDIR(21, "Is a directory"),
    /** Invalid argument. */
    EINVAL(22, "Invalid argument"),
    /** File too large: an object or offset beyond the OSD's limit. */
    EFBIG(27, "File too large"),
    /** No space left on device: the cluster or an OSD is full. */
    ENOSPC(28, "No space left on device"),
    /** Read-only file system. */
    EROFS(30, "Read-only file system"),
    /** Too many links. */
    EMLINK(31, "Too many links"),
    /** Broken pipe. */
    EPIPE(32, "Broken pipe"),
    /** Numerical argument out of domain. */
    EDOM(33, "Numerical argument out of domain"),
    /** Numerical result out of range: a version assertion that failed, a too small buffer. */
    ERANGE(34, "Numerical result out of range"),
    /** Resource deadlock avoided. */
    EDEADLK(35, "Resource deadlock avoided"),
    /** File name too long: an object name beyond osd_max_object_name_len. */
    ENAMETOOLONG(36, "File name too long"),
    /** Function not implemented. */
    ENOSYS(38, "Function not implemented"),
    /** Directory not empty. */
    ENOTEMPTY(39, "Directory not empty"),
    /** Too many levels of symbolic links. */
    ELOOP(40, "Too many levels of symbolic links"),
    /** No message of desired type. */
    ENOMSG(42, "No message of desired type"),
    /** No data available: a missing xattr. */
    ENODATA(61, "No data available"),
    /** Timer expired. */
    ETIME(62, "Timer expired"),
    /** Bad message: a malformed input, such as an rbd diff stream that does not parse. */
    EBADMSG(74, "Bad message"),
    /** Value too large for defined data type: a version assertion on a newer object. */
    EOVERFLOW(75, "Value too large for defined data type"),
    /** Invalid or incomplete multibyte or wide character. */
    EILSEQ(84, "Invalid or incomplete multibyte or wide character"),
    /** Interrupted system call should be restarted. */
    ERESTART(85, "Interrupted system call should be restarted"),
    /** Message too long: an op or message beyond osd_max_write_size or a similar limit. */
    EMSGSIZE(90, "Message too long"),
    /** Operation not supported. */
    EOPNOTSUPP(95, "Operation not supported"),
    /** Address already in use. */
    EADDRINUSE(98, "Address already in use"),
    /** Connection reset by peer. */
    ECONNRESET(104, "Connection reset by peer"),
    /** Transport endpoint is not connected: a forgotten watch, a closed client. */
    ENOTCONN(107, "Transport endpoint is not connected"),
    /**
     * Cannot send after transport endpoint shutdown: Ceph's EBLOCKLISTED, the client was blocklisted
     * by the monitors.
     */
    EBLOCKLISTED(108, "Cannot send after transport endpoint shutdown"),
    /** Connection timed out: Ceph's ETIMEDOUT, an op that outlived its timeout. */
    ETIMEDOUT(110, "Connection timed out"),
    /** Connection refused. */
    ECONNREFUSED(111, "Connection refused"),
    /** Host is down. */
    EHOSTDOWN(112, "Host is down"),
    /** Operation already in progress. */
    EALREADY(114, "Operation already in progress"),
    /** Operation now in progress. */
    EINPROGRESS(115, "Operation now in progress"),
    /** Stale file handle. */
    ESTALE(116, "Stale file handle"),
    /** Disk quota exceeded: a pool at its quota. */
    EDQUOT(122, "Disk quota exceeded"),
    /** Operation canceled: a comparison (cmpxattr, cmpext, assert) that did not hold. */
    ECANCELED(125, "Operation canceled"),
    /** Key has expired: an expired cephx ticket. */
    EKEYEXPIRED(127, "Key has expired"),
    /** Key was rejected by service. */
    EKEYREJECTED(129, "Key was rejected by service");

    private static final Map<Integer, Errno> BY_NUMBER = new HashMap<>();

    static {
        for (Errno e : values()) {
            BY_NUMBER.put(e.number, e);
        }
    }

    private final int number;
    private final String text;

    Errno(int number, String text) {
        this.number = number;
        this.text = text;
    }

    /**
     * The positive errno number, as Linux defines it.
     *
     * @return the number, such as 61 for ENODATA
     */
    public int number() {
        return number;
    }

    /**
     * The negative errno, as Ceph daemons reply with it and librados returns it.
     *
     * @return the negated number, such as -61 for ENODATA
     */
    public int negative() {
        return -number;
    }

    /**
     * The C library's strerror text.
     *
     * @return the text, such as "No data available"
     */
    public String text() {
        return text;
    }

    /**
     * The table entry of an errno.
     *
     * @param errno the errno, positive or negative
     * @return the entry, or null when the table does not have it
     */
    public static Errno of(int errno) {
        return BY_NUMBER.get(Math.abs(errno));
    }

    /**
     * The strerror text of any errno, "Unknown error N" for one the table lacks (as glibc prints it).
     *
     * @param errno the errno, positive or negative
     * @return the text
     */
    public static String strerror(int errno) {
        Errno e = of(errno);
        return e == null ? "Unknown error " + Math.abs(errno) : e.text;
    }

    /**
     * The symbolic name of any errno, "errno N" for one the table lacks.
     *
     * @param errno the errno, positive or negative
     * @return the name, such as "ENODATA"
     */
    public static String nameOf(int errno) {
        Errno e = of(errno);
        return e == null ? "errno " + Math.abs(errno) : e.name();
    }
}
