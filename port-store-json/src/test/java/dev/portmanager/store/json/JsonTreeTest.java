package dev.portmanager.store.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming-core trees the registry reads and writes (instead of databind's) give what databind's gave: the same
 * bytes through the registry's printer, the same text, defaults and numbers, so files and messages do not change.
 */
class JsonTreeTest {
    private static final ObjectMapper DATABIND = new ObjectMapper();
    /** Every kind of value a hand-edited registry may carry in a field Port Manager does not know. */
    private static final String ODD = "{\"s\": \"caf\\u00e9 \\\"q\\\" \\n\", \"i\": 7, \"l\": 12345678901, "
            + "\"big\": 123456789012345678901234567890, \"d\": 1.5, \"e\": 1e3, \"neg\": -0.0, \"t\": true, "
            + "\"f\": false, \"n\": null, \"a\": [1, [2, {\"x\": []}], {}], \"o\": {\"k\": {\"deep\": [null]}}, "
            + "\"dup\": 1, \"dup\": 2}";

    @Test
    void writtenThroughTheRegistryPrinter_givesDatabindsBytes() throws IOException {
        assertEquals(viaDatabind(ODD), viaTree(ODD));
    }

    @Test
    void toJson_isDatabindsToString() throws IOException {
        JsonNode node = DATABIND.readTree(ODD);
        Map<String, Object> tree = JsonTree.object(JsonTree.parse(ODD));
        for (String field : List.of("s", "i", "l", "big", "d", "e", "neg", "t", "f", "n", "a", "o", "dup")) {
            assertEquals(node.get(field).toString(), JsonTree.toJson(tree.get(field)), field);
        }
    }

    @Test
    void accessors_answerAsJsonNodeDoes() throws IOException {
        JsonNode node = DATABIND.readTree(ODD);
        Map<String, Object> tree = JsonTree.object(JsonTree.parse(ODD));
        for (String field : List.of("s", "i", "l", "big", "d", "e", "neg", "t", "f", "n", "a", "o", "dup", "absent")) {
            JsonNode n = node.path(field);
            Object v = tree.get(field);
            assertEquals(n.asText(), JsonTree.asText(v), field);
            assertEquals(n.asText("default"), JsonTree.asText(v, "default"), field);
            assertEquals(n.isIntegralNumber(), JsonTree.isIntegral(v), field);
            assertEquals(n.isIntegralNumber() && n.canConvertToInt(), JsonTree.isIntegral(v) && JsonTree.fitsInt(v),
                    field);
            assertEquals(n.canConvertToLong(), JsonTree.fitsLong(v), field);
            assertEquals(node.hasNonNull(field), JsonTree.hasNonNull(tree, field), field);
        }
        assertTrue(JsonTree.asBoolean(tree.get("t"), false));
        assertFalse(JsonTree.asBoolean(tree.get("f"), true));
        assertTrue(JsonTree.asBoolean(tree.get("absent"), true));
        assertEquals(2, tree.get("dup"));
        assertSame(JsonTree.NULL, tree.get("n"));
        assertNull(tree.get("absent"));
    }

    private static String viaDatabind(String json) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = DATABIND.getFactory().createGenerator(out)) {
            g.setPrettyPrinter(new RegistryPrinter());
            g.writeTree(DATABIND.readTree(json));
        }
        return out.toString();
    }

    private static String viaTree(String json) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonTree.factory().createGenerator(out)) {
            g.setPrettyPrinter(new RegistryPrinter());
            JsonTree.write(g, JsonTree.parse(json));
        }
        return out.toString();
    }
}
