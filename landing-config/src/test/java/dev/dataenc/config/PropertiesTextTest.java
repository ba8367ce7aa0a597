package dev.dataenc.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PropertiesTextTest {

    private static final String NL = System.lineSeparator();

    @Test
    void keySetTwice_keepsBothValuesInOrder() throws IOException {
        Map<String, List<String>> v = PropertiesText.parse("a=1\nb : 2\na 3\n");

        assertEquals(List.of("1", "3"), v.get("a"));
        assertEquals(List.of("2"), v.get("b"));
    }

    @Test
    void escapesAndContinuations_followPropertiesSyntax() throws IOException {
        Map<String, List<String>> v = PropertiesText.parse("p = C:\\\\keys\\\\k.p12\nlong = one \\\n    two\nu=\\u00e9\n");

        assertEquals(List.of("C:\\keys\\k.p12"), v.get("p"));
        assertEquals(List.of("one two"), v.get("long"));
        assertEquals(List.of("\u00e9"), v.get("u"));
    }

    @Test
    void malformedUnicodeEscape_isAnIOException() {
        assertThrows(IOException.class, () -> PropertiesText.parse("a=\\u12"));
    }

    @Test
    void set_replacesTheValueKeepingSeparatorAndComments() {
        PropertiesText t = PropertiesText.of("# c\nx.y:old\n  x.z   =   a \\\n   continued\n! other\n");

        t.set("x.z", "new");
        t.set("x.y", "v");

        assertEquals("# c" + NL + "x.y:v" + NL + "  x.z   =   new" + NL + "! other" + NL, t.text());
    }

    @Test
    void set_removesRepeatedLinesAndAppendsMissingKeys() {
        PropertiesText t = PropertiesText.of("k=1\n#k=commented\nk=2\n");

        t.set("k", "3");
        t.set("new.key", "n");

        assertEquals("k=3" + NL + "#k=commented" + NL + "new.key = n" + NL, t.text());
    }

    @Test
    void set_ignoresAKeyThatOnlyStartsTheSame() {
        PropertiesText t = PropertiesText.of("dataenc.keystore.active-x=1\n");

        t.set("dataenc.keystore.active", "b");

        assertEquals("dataenc.keystore.active-x=1" + NL + "dataenc.keystore.active = b" + NL, t.text());
    }
}
