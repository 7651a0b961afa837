package org.jceph.cli.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The SVG writer: well-formed XML whatever the text, numbers short, attributes escaped. */
class SvgTest {
    @Test
    void hostileTextStaysWellFormedAndRoundTrips() throws Exception {
        String nasty = "a<b>&\"c\"'d'\u0001</text><script>x</script>";
        Svg s = new Svg(100, 50, "text{fill:#000}");
        s.group("g1", "data-x", nasty).text(1, 2, nasty, "t").rectTitled(0, 0, 5, 5, "r", nasty).end();
        Document d = ExplainPictureTest.parse(s.toString());
        Element t = (Element) d.getElementsByTagName("text").item(0);
        assertEquals(nasty.replace('\u0001', '?'), t.getTextContent());
        assertEquals(nasty.replace('\u0001', '?'), ((Element) d.getElementsByTagName("g").item(0)).getAttribute("data-x"));
        assertEquals(0, d.getElementsByTagName("script").getLength());
        assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getAttribute("xmlns"));
    }

    @Test
    void numbersAreShortAndSizeIsSetAfterLayout() throws Exception {
        assertEquals("3", Svg.num(3.0));
        assertEquals("3.5", Svg.num(3.5));
        assertEquals("3.33", Svg.num(10.0 / 3));
        assertEquals("-0.1", Svg.num(-0.1));
        Svg s = new Svg(1, 1, null).size(640, 480.25);
        Document d = ExplainPictureTest.parse(s.toString());
        assertEquals("640", d.getDocumentElement().getAttribute("width"));
        assertEquals("0 0 640 480.25", d.getDocumentElement().getAttribute("viewBox"));
        assertTrue(s.inline().startsWith("<svg width="), "inline form has no XML prolog or namespace");
    }
}
