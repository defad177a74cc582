package dev.portmanager.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** What the JSON classes share: the node factory and how an enum value is written. */
final class Nodes {
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Nodes() {
    }

    /** An array of each value's node, in the list's order. */
    static <T> ArrayNode array(List<T> values, Function<? super T, ? extends JsonNode> node) {
        ArrayNode array = F.arrayNode();
        values.forEach(v -> array.add(node.apply(v)));
        return array;
    }

    /** {@code NOT_RUNNING} becomes {@code not_running}. */
    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
