package org.jceph.cli.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * An event's printed lines, plus the fields behind them with their byte spans, for the HTML byte
 * diagram ({@code decode --format html}). The text view uses the lines only.
 */
final class Lines extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    /** Bytes of a field kept for drawing; longer fields are drawn as their head and a count. */
    static final int KEEP = 48;

    /** One annotated field: where it is in its TCP stream, its first bytes, what it is. */
    record Field(long streamOffset, int length, byte[] head, String section, String type, String name, String value) {
    }

    final List<Field> fields = new ArrayList<>();

    @Override
    public boolean addAll(java.util.Collection<? extends String> more) {
        if (more instanceof Lines l) {
            fields.addAll(l.fields);
        }
        return super.addAll(more);
    }
}
