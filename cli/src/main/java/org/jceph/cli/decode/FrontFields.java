package org.jceph.cli.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields {@code jceph decode} names in a message front ({@link MessageBodies}), as plain spans:
 * for the generated message reference, which sets them beside what the codecs write and read.
 */
public final class FrontFields {
    /** One annotated field: offset in the front, width, type and name as decode prints them. */
    public record Field(int offset, int width, String type, String name) {
    }

    private FrontFields() {
    }

    /** Whether {@code jceph decode} annotates fronts of this message type field by field. */
    public static boolean known(int type) {
        return MessageBodies.known(type);
    }

    /** The fields decode names in {@code front} (empty for types it does not know). */
    public static List<Field> of(int type, byte[] front) {
        Lines lines = new Lines();
        Annotator a = new Annotator(front, 0, front.length, 0, "front", lines, "");
        MessageBodies.front(type, a);
        List<Field> out = new ArrayList<>();
        for (Lines.Field f : lines.fields) {
            out.add(new Field((int) f.streamOffset(), f.length(), f.type(), f.name()));
        }
        return out;
    }
}
