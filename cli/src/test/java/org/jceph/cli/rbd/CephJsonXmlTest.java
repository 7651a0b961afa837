package org.jceph.cli.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The XML form of CephJson against what Ceph's XMLFormatter and escape_xml_attr print. */
class CephJsonXmlTest {

    @Test
    void textIsEscapedAsEscapeXmlAttrDoes() {
        StringBuilder b = new StringBuilder();
        CephJson.escape(b, "I <3 \"x\" & 'y'\t\n\u0001\u007f\u6c49");
        assertEquals("I &lt;3 &quot;x&quot; &amp; &apos;y&apos;\t\n&#x01;&#x7f;\u6c49", b.toString());
    }

    @Test
    void compactAndPrettyShapes() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("watchers", new CephJson.Items("watcher", List.of()));
        doc.put("a b", 1L);
        doc.put("flag", Boolean.FALSE);
        assertEquals("<status><watchers></watchers><a_b>1</a_b><flag>false</flag></status>\n",
                CephJson.xml("status", doc, false));
        assertEquals("<status>\n <watchers>\n </watchers>\n <a_b>1</a_b>\n <flag>false</flag>\n</status>\n\n",
                CephJson.xml("status", doc, true));
        assertEquals("{\"watchers\":[],\"a b\":1,\"flag\":false}\n", CephJson.render(doc, false));
    }

    @Test
    void namedItemsTakeTheirOwnElementNames() {
        List<Object> items = List.of(new CephJson.Named("image", Map.of("n", "a")), new CephJson.Named("snapshot", Map.of("n", "a@s")));
        assertEquals("<images><image><n>a</n></image><snapshot><n>a@s</n></snapshot></images>\n", CephJson.xml("images", items, false));
        assertEquals("[{\"n\":\"a\"},{\"n\":\"a@s\"}]\n", CephJson.render(items, false));
        assertThrows(IllegalStateException.class, () -> CephJson.xml("images", List.of("unnamed"), false));
    }
}
