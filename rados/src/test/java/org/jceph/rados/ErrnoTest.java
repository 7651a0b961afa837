package org.jceph.rados;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The errno table and the typed exceptions it maps to. */
class ErrnoTest {
    @Test
    void theTableHasLinuxNumbersAndGlibcTexts() {
        assertEquals(61, Errno.ENODATA.number());
        assertEquals(-61, Errno.ENODATA.negative());
        assertEquals("No data available", Errno.strerror(-61));
        assertEquals("No data available", Errno.strerror(61));
        assertEquals("Cannot send after transport endpoint shutdown", Errno.EBLOCKLISTED.text());
        assertEquals(108, Errno.EBLOCKLISTED.number());
        assertEquals(122, Errno.EDQUOT.number());
        assertEquals("Unknown error 4095", Errno.strerror(-4095));
        assertEquals("errno 4095", Errno.nameOf(-4095));
        assertNull(Errno.of(4095));
        for (Errno e : Errno.values()) {
            assertEquals(e, Errno.of(e.negative()), e + " is found by its number");
        }
    }

    @Test
    void badMessageIsInTheTableForTheRbdDiffTools() {
        assertEquals(74, Errno.EBADMSG.number());
        assertEquals("Bad message", Errno.strerror(-74));
        assertEquals("EBADMSG", Errno.nameOf(74));
    }

    @Test
    void eachErrnoUsersMeetHasItsOwnType() {
        Map<Integer, Class<? extends RadosException>> expected = Map.ofEntries(
                Map.entry(-2, RadosException.ObjectNotFoundException.class),
                Map.entry(-17, RadosException.ObjectExistsException.class),
                Map.entry(-61, RadosException.NoDataException.class),
                Map.entry(-125, RadosException.CanceledException.class),
                Map.entry(-34, RadosException.OutOfRangeException.class),
                Map.entry(-90, RadosException.MessageTooLongException.class),
                Map.entry(-28, RadosException.NoSpaceException.class),
                Map.entry(-122, RadosException.NoSpaceException.class),
                Map.entry(-16, RadosException.BusyException.class),
                Map.entry(-1, RadosException.PermissionDeniedException.class),
                Map.entry(-13, RadosException.PermissionDeniedException.class),
                Map.entry(-110, RadosException.TimeoutException.class),
                Map.entry(-108, RadosException.BlocklistedException.class));
        expected.forEach((errno, type) -> {
            RadosException e = RadosException.of(errno, "object 'o' in pool 'p'");
            assertInstanceOf(type, e, "errno " + errno);
            assertEquals(errno, e.errno());
            assertEquals("object 'o' in pool 'p': " + Errno.strerror(errno) + " (" + Errno.nameOf(errno) + ", errno "
                    + errno + ")", e.getMessage());
            assertEquals(Errno.of(errno), e.code());
        });
        assertEquals(RadosException.class, RadosException.of(-22, "x").getClass(), "EINVAL stays generic");
        assertEquals(-22, RadosException.of(22, "x").errno(), "a positive errno is taken as its negation");
    }

    @Test
    void quotaAndFullAreOneTypeToldApartByQuota() {
        assertTrue(((RadosException.NoSpaceException) RadosException.of(-122, "w")).quota());
        assertTrue(!((RadosException.NoSpaceException) RadosException.of(-28, "w")).quota());
    }

    @Test
    void aMissingPoolSaysThePoolIsMissing() {
        RadosException.PoolNotFoundException e = new RadosException.PoolNotFoundException("rbd2");
        assertEquals("pool 'rbd2' does not exist: No such file or directory (ENOENT, errno -2)", e.getMessage());
        assertEquals("rbd2", e.pool());
        assertInstanceOf(RadosException.NotFoundException.class, e);
        assertInstanceOf(RadosException.NotFoundException.class, RadosException.of(-2, "o"));
    }
}
