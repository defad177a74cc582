package dev.portmanager.store.jdbc;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The metadata column's JSON: order kept, every character round-trips. */
class MetadataCodecTest {

    @Test
    void writeThenRead_keepsOrderAndEveryCharacter() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("z", "last \"quoted\" \\ back");
        m.put("a", "line\nbreak\ttab \u0001 東京 \uD83D\uDE80");
        m.put("key with space", "");
        String json = MetadataCodec.write(m);
        assertEquals("{\"z\":\"last \\\"quoted\\\" \\\\ back\",\"a\":\"line\\nbreak\\ttab \\u0001 東京 \uD83D\uDE80\","
                + "\"key with space\":\"\"}", json);
        assertEquals(m, MetadataCodec.read(json));
        assertEquals(new LinkedHashMap<>(m).keySet().toString(), MetadataCodec.read(json).keySet().toString());
    }

    @Test
    void read_acceptsWhiteSpaceAndEscapes_andRefusesOtherJson() {
        assertEquals(Map.of("a", "b/é"), MetadataCodec.read(" { \"a\" : \"b\\/\\u00e9\" } "));
        assertEquals(Map.of(), MetadataCodec.read("{}"));
        assertEquals("metadata is not a JSON object of strings: expected '\"' at index 5",
                assertThrows(IllegalArgumentException.class, () -> MetadataCodec.read("{\"a\":1}")).getMessage());
    }
}
