package dev.portmanager.store.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as plain Java objects, read and written with Jackson's streaming core alone: building jackson-databind's
 * {@code ObjectMapper} costs about half a second of a program's start-up (issue 20), and the registry needs no data
 * binding. An object is a {@code LinkedHashMap<String, Object>} (a repeated key keeps its first place and its last
 * value, as databind's trees do), an array a {@code List<Object>}, a number an {@code Integer}, {@code Long},
 * {@code BigInteger}, {@code Double} or {@code BigDecimal}, JSON's {@code null} is {@link #NULL}; a field that is
 * absent is Java's {@code null}. The accessors answer as databind's {@code JsonNode} does, so messages and defaults
 * stay what they were. Thread-safe: the factory is shared, nothing else is kept.
 */
final class JsonTree {
    /** JSON's {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private JsonTree() {
    }

    /**
     * Streaming parsers and generators, with Jackson's defaults: made on first use, so that a program that only reads
     * plain registry text ({@link JsonReader}) never loads Jackson (issue 20).
     */
    static JsonFactory factory() {
        return Jackson.FACTORY;
    }

    /** The holder of the factory: initialized by the first {@link #factory()} call, once, thread-safely. */
    private static final class Jackson {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    /** Parses one value from text; what follows it is not read. */
    static Object parse(String text) throws IOException {
        Object plain = JsonReader.value(text);
        if (plain != null) {
            return plain;
        }
        try (JsonParser p = factory().createParser(text)) {
            return read(p, p.nextToken());
        }
    }

    /** Parses the first value of {@code bytes}; what follows it is not read. */
    static Object parse(byte[] bytes) throws IOException {
        Object plain = JsonReader.value(bytes);
        if (plain != null) {
            return plain;
        }
        try (JsonParser p = factory().createParser(bytes)) {
            return read(p, p.nextToken());
        }
    }

    /** Reads the value starting at the parser's current token, leaving the parser on its last token. */
    static Object read(JsonParser p) throws IOException {
        return read(p, p.currentToken());
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw new JsonParseException(p, "No content: the text ends before a value");
        }
        switch (t) {
            case START_OBJECT:
                Map<String, Object> object = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    object.put(name, read(p, p.nextToken()));
                }
                return object;
            case START_ARRAY:
                List<Object> array = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(read(p, next));
                }
                return array;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getNumberTypeFP() == JsonParser.NumberTypeFP.BIG_DECIMAL ? p.getDecimalValue()
                        : (Object) p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return NULL;
            default:
                throw new JsonParseException(p, "Unexpected token " + t);
        }
    }

    /** Writes a value read by {@link #read}. */
    @SuppressWarnings("unchecked")
    static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List) {
            g.writeStartArray();
            for (Object item : (List<Object>) v) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Integer) {
            g.writeNumber((Integer) v);
        } else if (v instanceof Long) {
            g.writeNumber((Long) v);
        } else if (v instanceof BigInteger) {
            g.writeNumber((BigInteger) v);
        } else if (v instanceof Double) {
            g.writeNumber((Double) v);
        } else if (v instanceof BigDecimal) {
            g.writeNumber((BigDecimal) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else {
            g.writeNull();
        }
    }

    /** The value as compact JSON, as {@code JsonNode.toString()} gives it: for messages. */
    static String toJson(Object v) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = factory().createGenerator(out)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toString();
    }

    /** The object's fields, or null when {@code v} is not an object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object v) {
        return v instanceof Map ? (Map<String, Object>) v : null;
    }

    /** A field of an object; null when absent or when {@code v} is not an object ({@code JsonNode.get}). */
    static Object get(Object v, String field) {
        Map<String, Object> o = object(v);
        return o == null ? null : o.get(field);
    }

    static boolean hasNonNull(Object v, String field) {
        Object f = get(v, field);
        return f != null && f != NULL;
    }

    static boolean isIntegral(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof BigInteger;
    }

    /** A value that is neither an object nor an array ({@code JsonNode.isValueNode}); JSON's null is one. */
    static boolean isValue(Object v) {
        return v != null && !(v instanceof Map) && !(v instanceof List);
    }

    /** Whether a number fits an int ({@code JsonNode.canConvertToInt}). */
    static boolean fitsInt(Object v) {
        return v instanceof Number && fits((Number) v, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Whether a number fits a long ({@code JsonNode.canConvertToLong}). */
    static boolean fitsLong(Object v) {
        return v instanceof Number && fits((Number) v, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static boolean fits(Number n, long min, long max) {
        if (n instanceof Integer || n instanceof Long) {
            return n.longValue() >= min && n.longValue() <= max;
        }
        if (n instanceof Double) {
            double d = n.doubleValue();
            return d >= min && d <= max;
        }
        BigDecimal d = n instanceof BigInteger ? new BigDecimal((BigInteger) n) : (BigDecimal) n;
        return d.compareTo(BigDecimal.valueOf(min)) >= 0 && d.compareTo(BigDecimal.valueOf(max)) <= 0;
    }

    /** A scalar's text, "" for an object, an array or an absent field ({@code JsonNode.asText()}). */
    static String asText(Object v) {
        if (v == null || v instanceof Map || v instanceof List) {
            return "";
        }
        return v.toString();
    }

    /** The text, or {@code absent} for an absent field or JSON's null ({@code JsonNode.asText(String)}). */
    static String asText(Object v, String absent) {
        return v == null || v == NULL ? absent : asText(v);
    }

    /** {@code true}/{@code false}, the strings "true"/"false", a whole number not 0; else {@code absent}. */
    static boolean asBoolean(Object v, boolean absent) {
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v instanceof String) {
            String s = ((String) v).trim();
            return "true".equals(s) || (!"false".equals(s) && absent);
        }
        if (isIntegral(v)) {
            return v instanceof BigInteger ? ((BigInteger) v).signum() != 0 : ((Number) v).longValue() != 0;
        }
        return absent;
    }
}
