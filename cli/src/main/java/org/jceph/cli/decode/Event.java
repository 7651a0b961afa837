package org.jceph.cli.decode;

import java.util.List;

/** One decoded unit (banner, frame, tag, message) of one direction, with when it was complete. */
record Event(long timestampMicros, boolean fromClient, long streamOffset, String title, List<String> lines) {
}
