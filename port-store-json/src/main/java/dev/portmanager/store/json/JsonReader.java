package dev.portmanager.store.json;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads plain JSON text into {@link JsonTree}'s values without Jackson, so that reading a registry (every start of a
 * program, every read of a file another process changed) loads none of Jackson's classes: on a JVM with no class-data
 * archive Jackson's parser set-up is the largest single part of a first {@code getOrAllocate} (issue 20,
 * docs/BENCHMARKS.md). It answers only for text Jackson reads without complaint and to the same values (strict
 * RFC 8259 and Jackson's defaults: no comments, no trailing commas, no control characters in strings, numbers as
 * {@link JsonTree} types them); anything else, a syntax error above all, answers "not plain" and the caller hands the
 * text to Jackson, whose messages (line, column, what was expected) are what users see. JsonReaderTest holds it to
 * Jackson on generated and mutated documents. Not thread-safe per instance; the static methods are.
 */
final class JsonReader {
    /** Leaves the text to Jackson; no stack trace is filled (it is thrown for control flow only). */
    private static final class NotPlain extends Exception {
        private static final long serialVersionUID = 1L;

        NotPlain() {
            super(null, null, false, false);
        }
    }

    private static final NotPlain NOT_PLAIN = new NotPlain();
    /** Deeper text is left to Jackson, which has its own limit. */
    private static final int MAX_DEPTH = 200;
    /** Longer numbers are left to Jackson, which has its own limit. */
    private static final int MAX_NUMBER = 100;

    private final String s;
    private int i;
    private int depth;

    private JsonReader(String s) {
        this.s = s;
    }

    /** A registry file's top-level object: its fields in order, "allocations" as the text of each entry. */
    record Top(Map<String, Object> fields, List<String> entries) {
    }

    /**
     * The value of {@code text}, when it is one plain JSON value with nothing but white space after it; else null
     * (JSON's null is {@link JsonTree#NULL}).
     */
    static Object value(String text) {
        JsonReader r = new JsonReader(text);
        try {
            Object v = r.value(true);
            r.space();
            return r.i == text.length() ? v : null;
        } catch (NotPlain e) {
            return null;
        }
    }

    /** As {@link #value(String)}, for UTF-8 bytes; null also when they are not well-formed UTF-8 or start with a BOM. */
    static Object value(byte[] bytes) {
        String text = decode(bytes);
        return text == null ? null : value(text);
    }

    /**
     * A registry file read as one plain JSON object whose top-level names are distinct and whose "allocations", when
     * present, is an array: each of its entries as its exact text (null for an entry that is not an object). Null for
     * anything else, which the caller reads with Jackson.
     */
    static Top top(byte[] bytes) {
        String text = decode(bytes);
        if (text == null) {
            return null;
        }
        JsonReader r = new JsonReader(text);
        try {
            return r.top();
        } catch (NotPlain e) {
            return null;
        }
    }

    private Top top() throws NotPlain {
        space();
        expect('{');
        Map<String, Object> fields = new LinkedHashMap<>();
        List<String> entries = null;
        space();
        if (peek() == '}') {
            i++;
        } else {
            while (true) {
                space();
                if (peek() != '"') {
                    throw NOT_PLAIN;
                }
                String name = string(true);
                if (fields.containsKey(name)) {
                    throw NOT_PLAIN;
                }
                space();
                expect(':');
                space();
                if (name.equals("allocations")) {
                    if (peek() != '[') {
                        throw NOT_PLAIN;
                    }
                    entries = entries();
                    fields.put(name, entries);
                } else {
                    fields.put(name, value(true));
                }
                space();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw NOT_PLAIN;
                }
            }
        }
        space();
        if (i != s.length()) {
            throw NOT_PLAIN;
        }
        return new Top(fields, entries);
    }

    /** The entries of the array at {@code i}: each checked, none built; an object's exact text, else null. */
    private List<String> entries() throws NotPlain {
        i++;
        List<String> texts = new ArrayList<>();
        space();
        if (peek() == ']') {
            i++;
            return texts;
        }
        while (true) {
            space();
            int from = i;
            boolean object = peek() == '{';
            value(false);
            texts.add(object ? s.substring(from, i) : null);
            space();
            char c = next();
            if (c == ']') {
                return texts;
            }
            if (c != ',') {
                throw NOT_PLAIN;
            }
        }
    }

    /** The value at {@code i}; when not {@code build}, only checked (the answer is then null). */
    private Object value(boolean build) throws NotPlain {
        space();
        char c = peek();
        switch (c) {
            case '{':
                return object(build);
            case '[':
                return array(build);
            case '"':
                return string(build);
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", JsonTree.NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number(build);
                }
                throw NOT_PLAIN;
        }
    }

    private Map<String, Object> object(boolean build) throws NotPlain {
        i++;
        deeper();
        Map<String, Object> object = build ? new LinkedHashMap<>() : null;
        space();
        if (peek() == '}') {
            i++;
            depth--;
            return object;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw NOT_PLAIN;
            }
            String name = string(build);
            space();
            expect(':');
            Object v = value(build);
            if (build) {
                // A repeated name keeps its first place and its last value, as Jackson's trees and JsonTree.read do.
                object.put(name, v);
            }
            space();
            char c = next();
            if (c == '}') {
                depth--;
                return object;
            }
            if (c != ',') {
                throw NOT_PLAIN;
            }
        }
    }

    private List<Object> array(boolean build) throws NotPlain {
        i++;
        deeper();
        List<Object> array = build ? new ArrayList<>() : null;
        space();
        if (peek() == ']') {
            i++;
            depth--;
            return array;
        }
        while (true) {
            Object v = value(build);
            if (build) {
                array.add(v);
            }
            space();
            char c = next();
            if (c == ']') {
                depth--;
                return array;
            }
            if (c != ',') {
                throw NOT_PLAIN;
            }
        }
    }

    private void deeper() throws NotPlain {
        if (++depth > MAX_DEPTH) {
            throw NOT_PLAIN;
        }
    }

    /** The string at {@code i} (its opening quote), unescaped; checked only when not {@code build}. */
    private String string(boolean build) throws NotPlain {
        i++;
        int start = i;
        StringBuilder b = null;
        while (true) {
            char c = next();
            if (c == '"') {
                if (!build) {
                    return null;
                }
                return b == null ? s.substring(start, i - 1) : b.append(s, start, i - 1).toString();
            }
            if (c == '\\') {
                if (b == null) {
                    b = new StringBuilder();
                }
                b.append(s, start, i - 1);
                b.append(escape());
                start = i;
            } else if (c < 0x20) {
                throw NOT_PLAIN;
            }
        }
    }

    /** The character an escape after a backslash stands for. */
    private char escape() throws NotPlain {
        char e = next();
        switch (e) {
            case '"':
            case '\\':
            case '/':
                return e;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                int code = 0;
                for (int k = 0; k < 4; k++) {
                    int digit = Character.digit(next(), 16);
                    if (digit < 0) {
                        throw NOT_PLAIN;
                    }
                    code = code * 16 + digit;
                }
                return (char) code;
            default:
                throw NOT_PLAIN;
        }
    }

    private Object literal(String word, Object value) throws NotPlain {
        if (!s.startsWith(word, i)) {
            throw NOT_PLAIN;
        }
        i += word.length();
        return value;
    }

    /**
     * The number at {@code i}, typed as Jackson's {@code getNumberValue()} types it: Integer, Long or BigInteger by
     * size for an integer, Double for a number with a fraction or an exponent.
     */
    private Object number(boolean build) throws NotPlain {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        char first = peek();
        if (first == '0') {
            i++;
        } else if (first >= '1' && first <= '9') {
            digits();
        } else {
            throw NOT_PLAIN;
        }
        boolean integral = true;
        if (i < s.length() && s.charAt(i) == '.') {
            integral = false;
            i++;
            if (digits() == 0) {
                throw NOT_PLAIN;
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            integral = false;
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (digits() == 0) {
                throw NOT_PLAIN;
            }
        }
        if (i - start > MAX_NUMBER) {
            throw NOT_PLAIN;
        }
        if (!build) {
            return null;
        }
        String text = s.substring(start, i);
        if (!integral) {
            return Double.parseDouble(text);
        }
        if (i - start <= 9) {
            return Integer.parseInt(text);
        }
        BigInteger n = new BigInteger(text);
        if (n.bitLength() <= 31) {
            return n.intValue();
        }
        return n.bitLength() <= 63 ? (Object) n.longValue() : n;
    }

    private int digits() {
        int from = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    /** Skips JSON's white space: space, tab, line feed, carriage return. */
    private void space() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }

    private char peek() throws NotPlain {
        if (i >= s.length()) {
            throw NOT_PLAIN;
        }
        return s.charAt(i);
    }

    private char next() throws NotPlain {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) throws NotPlain {
        if (next() != c) {
            throw NOT_PLAIN;
        }
    }

    /** The bytes as text when they are well-formed UTF-8 without a byte-order mark; else null. */
    private static String decode(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
