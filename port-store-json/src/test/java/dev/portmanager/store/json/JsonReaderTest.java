package dev.portmanager.store.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * JsonReader answers only where Jackson reads the same text without complaint, and then with Jackson's values: on a
 * corpus of edge cases, on generated documents, and on thousands of mutations of them (a character changed, inserted
 * or removed), each compared with Jackson's own reading.
 */
class JsonReaderTest {
    private static final long SEED = 20_261_202L;

    /** Jackson's reading of the first value of the text: the reference. Throws where Jackson refuses the text. */
    private static Object jackson(String text) throws IOException {
        try (JsonParser p = JsonTree.factory().createParser(text)) {
            p.nextToken();
            return JsonTree.read(p);
        }
    }

    /** Jackson's reading of the whole text as one value followed by white space only; null where it refuses. */
    private static Object jacksonWhole(String text) {
        try (JsonParser p = JsonTree.factory().createParser(text)) {
            p.nextToken();
            Object v = JsonTree.read(p);
            return p.nextToken() == null ? v : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Where the reader answers, Jackson reads the text whole and to the same value (the reader may decline text
     * Jackson reads: that text then goes to Jackson).
     */
    private static void agrees(String text) {
        Object mine = JsonReader.value(text);
        if (mine != null) {
            Object theirs = jacksonWhole(text);
            assertNotNull(theirs, () -> "Jackson refuses what JsonReader read: " + text);
            assertEquals(theirs, mine, () -> "the values of: " + text);
        }
    }

    @Test
    void edgeCases_readAsJacksonReadsThem() throws IOException {
        List<String> answered = List.of("0", "-0", "7", "-7", "2147483647", "2147483648", "-2147483648",
                "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                "-9223372036854775809", "123456789012345678901234567890", "1.5", "-0.0", "1e3", "1E-3", "1.25e+2",
                "1e400", "0.1", "\"\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u20AC\\ud83d\\ude00\"",
                "\"\\ud800\"", "\"caf\u00e9 \u4e2d\u6587 \ud83d\ude00\"", "\"\u007f\"", "true", "false", "null", "[]",
                "{}", " \t\r\n[ 1 , 2 ]\n", "{\"a\":1,\"a\":2,\"b\":3}", "{\"\":{\"\":[[],{}]}}",
                "[1,\"x\",true,false,null,{\"k\":[1.5,-2]}]");
        for (String text : answered) {
            Object mine = JsonReader.value(text);
            assertNotNull(mine, () -> "JsonReader reads " + text);
            assertEquals(jackson(text), mine, () -> "the value of " + text);
            assertEquals(jackson(text).getClass(), mine.getClass(), () -> "the type of " + text);
        }
        List<String> leftToJackson = List.of("", " ", "01", "-", "+1", "1.", ".5", "1e", "1e+", "0x10", "NaN",
                "Infinity", "tru", "truex", "nul", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "[1 2]", "{\"a\" 1}",
                "\"a\u0001b\"", "\"\\x\"", "\"\\u12g4\"", "\"unterminated", "[", "{", "// c\n1", "/* c */ 1",
                "1 2", "[1]]", "{\"a\":1}}", "\u00a01", "[" + "[".repeat(300) + "]".repeat(301),
                "1" + "0".repeat(150));
        for (String text : leftToJackson) {
            assertNull(JsonReader.value(text), () -> "JsonReader leaves to Jackson: " + text);
        }
    }

    @Test
    void bytes_thatAreNotWellFormedUtf8OrStartWithABom_areLeftToJackson() {
        assertNull(JsonReader.value(new byte[] {'"', (byte) 0xC3, '"'}));
        assertNull(JsonReader.value(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}));
        assertNull(JsonReader.value(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'}));
        assertEquals("\u00e9", JsonReader.value("\"\u00e9\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void generatedDocuments_andTheirMutations_agreeWithJackson() throws IOException {
        Random random = new Random(SEED);
        int answered = 0;
        for (int doc = 0; doc < 300; doc++) {
            String text = write(tree(random, 0), random.nextBoolean());
            assertEquals(jackson(text), JsonReader.value(text), text);
            for (int m = 0; m < 20; m++) {
                String mutated = mutate(text, random);
                agrees(mutated);
                if (JsonReader.value(mutated) != null) {
                    answered++;
                }
            }
        }
        // The mutations reach both sides: some are still JSON (and read), most are not (and left to Jackson).
        int total = 300 * 20;
        assertEquals(true, answered > total / 20 && answered < total - total / 20, answered + " of " + total);
    }

    @Test
    void registryTop_givesEachEntryAsItsExactText_andLeavesTheUnusualToJackson() {
        String file = "{\n  \"ranges\" : { \"api\" : { \"start\" : 3000, \"end\" : 3099 } },\n  \"allocations\" : [\n"
                + "    {\"port\":3000, \"service\":\"caf\u00e9\"},\n    7,\n    { }\n  ],\n  \"metadata\" : {},"
                + " \"extra\": [1]\n}\n";
        JsonReader.Top top = JsonReader.top(file.getBytes(StandardCharsets.UTF_8));
        assertNotNull(top);
        assertEquals(List.of("ranges", "allocations", "metadata", "extra"), List.copyOf(top.fields().keySet()));
        List<String> entries = new ArrayList<>();
        entries.add("{\"port\":3000, \"service\":\"caf\u00e9\"}");
        entries.add(null);
        entries.add("{ }");
        assertEquals(entries, top.entries());
        for (String unusual : List.of("[]", "{\"allocations\": {}}", "{\"a\":1,\"a\":2}", "{} {}", "{\"a\":1,}",
                "")) {
            assertNull(JsonReader.top(unusual.getBytes(StandardCharsets.UTF_8)), unusual);
        }
    }

    /** A random JSON value: strings with escapes, control characters and non-ASCII, numbers of every type. */
    private static Object tree(Random r, int depth) {
        int kind = depth > 3 ? 2 + r.nextInt(5) : r.nextInt(7);
        switch (kind) {
            case 0:
                Map<String, Object> object = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    object.put(string(r), tree(r, depth + 1));
                }
                return object;
            case 1:
                List<Object> array = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    array.add(tree(r, depth + 1));
                }
                return array;
            case 2:
                return string(r);
            case 3:
                switch (r.nextInt(4)) {
                    case 0:
                        return r.nextInt(2000) - 1000;
                    case 1:
                        return r.nextInt();
                    case 2:
                        return r.nextLong();
                    default:
                        return new BigInteger(80, r).subtract(BigInteger.ONE.shiftLeft(79));
                }
            case 4:
                return r.nextBoolean() ? r.nextDouble() * 1000 - 500 : r.nextGaussian() * 1e12;
            case 5:
                return r.nextBoolean();
            default:
                return JsonTree.NULL;
        }
    }

    private static String string(Random r) {
        String alphabet = "ab \"\\/\u0001\u001f\n\t\u00e9\u4e2d\ud83d\ude00{}[]:,0-";
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            int at = r.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isHighSurrogate(c)) {
                b.append(c).append(alphabet.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String write(Object value, boolean pretty) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonTree.factory().createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            JsonTree.write(g, value);
        }
        return out.toString();
    }

    /** The text with one character changed, inserted or removed, or a slice of it. */
    private static String mutate(String text, Random r) {
        String pieces = "{}[]\",:\\ \n0129.-+eEtrufalsn\u0001\u00e9x";
        int at = text.isEmpty() ? 0 : r.nextInt(text.length());
        char c = pieces.charAt(r.nextInt(pieces.length()));
        switch (r.nextInt(4)) {
            case 0:
                return text.isEmpty() ? String.valueOf(c) : text.substring(0, at) + c + text.substring(at + 1);
            case 1:
                return text.substring(0, at) + c + text.substring(at);
            case 2:
                return text.isEmpty() ? text : text.substring(0, at) + text.substring(at + 1);
            default:
                return text.substring(0, at);
        }
    }

    @Test
    void jacksonsTokenStream_andTheReader_readTheSameRegistryFile() throws IOException {
        String file = "{\"ranges\":{\"api\":{\"start\":3000,\"end\":3099,\"description\":\"\\u00e9\"}},"
                + "\"allocations\":[],\"metadata\":{\"schema_version\":1}}";
        Map<String, Object> fields = new LinkedHashMap<>();
        try (JsonParser p = JsonTree.factory().createParser(file)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                fields.put(name, name.equals("allocations") ? List.of() : JsonTree.read(p));
                if (name.equals("allocations")) {
                    p.skipChildren();
                }
            }
        }
        assertEquals(fields, JsonReader.top(file.getBytes(StandardCharsets.UTF_8)).fields());
    }
}
