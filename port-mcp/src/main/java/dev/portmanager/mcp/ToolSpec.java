package dev.portmanager.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One tool's name, description and parameters: the one declaration both its JSON schema (what an agent is told to
 * pass) and the reading of its arguments (what it is refused) come from. Immutable once built; thread-safe.
 */
final class ToolSpec {
    /** The JSON type of a parameter. */
    enum Type {
        STRING("string", "a string"), INTEGER("integer", "an integer"), BOOLEAN("boolean", "true or false"),
        /** An array of ports (integers 1-65535), in the order given. */
        PORTS("array", "an array of port numbers");

        final String json;
        final String phrase;

        Type(String json, String phrase) {
            this.json = json;
            this.phrase = phrase;
        }
    }

    /** A parameter; {@code choices} (schema {@code enum}) and {@code min}/{@code max} are null when unbounded. */
    record Param(String name, Type type, boolean required, String description, List<String> choices, Integer min,
                 Integer max, String example) {
    }

    final String name;
    final String title;
    final String description;
    final List<Param> params;

    private ToolSpec(String name, String title, String description, List<Param> params) {
        this.name = name;
        this.title = title;
        this.description = description;
        this.params = List.copyOf(params);
    }

    static Builder named(String name, String title, String description) {
        return new Builder(name, title, description);
    }

    /**
     * The input schema: an object of the parameters, with their types, descriptions, choices and bounds, the required
     * ones listed, and no other property allowed.
     */
    Map<String, Object> inputSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Param p : params) {
            Map<String, Object> property = new LinkedHashMap<>();
            property.put("type", p.type().json);
            property.put("description", p.description());
            if (p.choices() != null) {
                property.put("enum", p.choices());
            }
            Map<String, Object> bounded = property;
            if (p.type() == Type.PORTS) {
                bounded = new LinkedHashMap<>();
                bounded.put("type", "integer");
                property.put("items", bounded);
                property.put("minItems", 1);
            }
            if (p.min() != null) {
                bounded.put("minimum", p.min());
            }
            if (p.max() != null) {
                bounded.put("maximum", p.max());
            }
            properties.put(p.name(), property);
            if (p.required()) {
                required.add(p.name());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    /**
     * Reads a call's arguments: an argument the tool does not take, one of the wrong type, or a required one missing
     * is refused with a message naming it and what to pass. A null value counts as absent. Values are checked
     * further (bounds, choices) by the API they are handed to, so that the message is the CLI's.
     *
     * @param arguments the call's arguments; null for none
     * @throws IllegalArgumentException as said above
     */
    Args read(Map<String, Object> arguments) {
        Map<String, Object> given = arguments == null ? Map.of() : arguments;
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.entrySet()) {
            Param p = param(e.getKey());
            if (e.getValue() != null) {
                values.put(p.name(), convert(p, e.getValue()));
            }
        }
        for (Param p : params) {
            if (p.required() && !values.containsKey(p.name())) {
                throw new IllegalArgumentException(name + " needs " + p.name() + ": " + p.description());
            }
        }
        return new Args(values);
    }

    private Param param(String argument) {
        for (Param p : params) {
            if (p.name().equals(argument)) {
                return p;
            }
        }
        List<String> names = new ArrayList<>();
        params.forEach(p -> names.add(p.name()));
        throw new IllegalArgumentException(name + " takes no argument '" + argument + "'; "
                + (names.isEmpty() ? "it takes none" : "it takes " + String.join(", ", names)));
    }

    /** A string as is; an integer from a JSON integer, or from a string of digits (agents send both). */
    private Object convert(Param p, Object value) {
        if (p.type() == Type.STRING && value instanceof String) {
            return value;
        }
        if (p.type() == Type.INTEGER) {
            Integer n = integer(value);
            if (n != null) {
                return n;
            }
        }
        if (p.type() == Type.BOOLEAN && value instanceof Boolean) {
            return value;
        }
        if (p.type() == Type.PORTS && value instanceof List<?> list && !list.isEmpty()) {
            List<Integer> ports = new ArrayList<>();
            for (Object item : list) {
                Integer n = item == null ? null : integer(item);
                if (n == null) {
                    throw new IllegalArgumentException(p.name() + ": " + shown(item) + " is not a port number; give "
                            + "numbers, such as " + p.example());
                }
                ports.add(n);
            }
            return List.copyOf(ports);
        }
        throw new IllegalArgumentException(p.name() + " must be " + p.type().phrase + ", such as " + p.example()
                + "; got " + shown(value));
    }

    /** An integer from a JSON integer, or from a string of digits (agents send both); null when it is neither. */
    private static Integer integer(Object value) {
        if ((value instanceof Integer || value instanceof Long || value instanceof Short)
                && fitsInt(((Number) value).longValue())) {
            return ((Number) value).intValue();
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && fitsInt((long) n.doubleValue())) {
            return (int) n.doubleValue();
        }
        if (value instanceof String s && s.strip().matches("-?[0-9]{1,10}") && fitsInt(Long.parseLong(s.strip()))) {
            return Integer.parseInt(s.strip());
        }
        return null;
    }

    private static boolean fitsInt(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
    }

    private static String shown(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    /** The arguments of one call, read and typed. */
    static final class Args {
        private final Map<String, Object> values;

        Args(Map<String, Object> values) {
            this.values = Map.copyOf(values);
        }

        /** The string argument, or null when absent. */
        String string(String name) {
            return (String) values.get(name);
        }

        /** The integer argument, or null when absent. */
        Integer integer(String name) {
            return (Integer) values.get(name);
        }

        /** The boolean argument, or false when absent. */
        boolean flag(String name) {
            return Boolean.TRUE.equals(values.get(name));
        }

        /** The ports argument, in the order given, or null when absent. */
        @SuppressWarnings("unchecked")
        List<Integer> ports(String name) {
            return (List<Integer>) values.get(name);
        }

        boolean has(String name) {
            return values.containsKey(name);
        }
    }

    /** Collects the parameters; not thread-safe. */
    static final class Builder {
        private final String name;
        private final String title;
        private final String description;
        private final List<Param> params = new ArrayList<>();

        private Builder(String name, String title, String description) {
            this.name = Objects.requireNonNull(name, "name == null");
            this.title = Objects.requireNonNull(title, "title == null");
            this.description = Objects.requireNonNull(description, "description == null");
        }

        /** A string parameter; {@code example} is shown, quoted, when a value of another type is given. */
        Builder string(String param, boolean required, String example, String description) {
            params.add(new Param(param, Type.STRING, required, description, null, null, null, "\"" + example + "\""));
            return this;
        }

        /** A string parameter with fixed choices (the first is the example). */
        Builder choice(String param, List<String> choices, String description) {
            params.add(new Param(param, Type.STRING, false, description, List.copyOf(choices), null, null,
                    "\"" + choices.get(0) + "\""));
            return this;
        }

        /** A port parameter: an integer from 1 to 65535. */
        Builder port(String param, boolean required, String description) {
            params.add(new Param(param, Type.INTEGER, required, description, null, 1, 65_535, "8080"));
            return this;
        }

        /** An optional parameter of ports: a non-empty array of integers from 1 to 65535. */
        Builder ports(String param, String description) {
            params.add(new Param(param, Type.PORTS, false, description, null, 1, 65_535, "[8001, 8002]"));
            return this;
        }

        /** An optional boolean parameter. */
        Builder flag(String param, String description) {
            params.add(new Param(param, Type.BOOLEAN, false, description, null, null, null, "true"));
            return this;
        }

        ToolSpec build() {
            return new ToolSpec(name, title, description, params);
        }
    }
}
