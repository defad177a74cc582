package dev.portmanager.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.Locale;

/** What the JSON classes share: the node factory and how an enum value is written. */
final class Nodes {
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Nodes() {
    }

    /** {@code NOT_RUNNING} becomes {@code not_running}. */
    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
