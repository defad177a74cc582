package dev.portmanager;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Environment variables for services' ports, as in seed 002: {@code CONSILIO_API_PORT=3101} and, for TCP ports,
 * {@code CONSILIO_API_URL=http://localhost:3101}. Names are {@code PROJECT_SERVICE_PORT} upper-cased with every
 * character other than a letter or digit turned into {@code _} (and a leading digit prefixed by {@code _}, as shells
 * require). Two services whose names give the same variable are refused, never one dropped. Immutable and thread-safe.
 */
public final class EnvExport {
    private final Map<String, String> variables;

    private EnvExport(Map<String, String> variables) {
        this.variables = Collections.unmodifiableMap(variables);
    }

    /**
     * The variables for these allocations, in their order.
     *
     * @throws PortManagerException if two allocations' names give the same variable (such as {@code a/b c/d} and
     *                              {@code a_b c_d}, both {@code A_B_C_D_PORT}): no service is ever dropped silently;
     *                              the message names both
     * @throws NullPointerException if the list is null
     */
    public static EnvExport of(List<Allocation> allocations) {
        Map<String, String> vars = new LinkedHashMap<>();
        Map<String, Allocation> owners = new HashMap<>();
        for (Allocation a : allocations) {
            String prefix = name(a.project() + "_" + a.service());
            Allocation other = owners.putIfAbsent(prefix, a);
            if (other != null) {
                throw new PortManagerException(who(other) + " and " + who(a) + " both give the variable " + prefix
                        + "_PORT; rename one of them (release it and allocate it under another name), or export "
                        + "their projects one at a time");
            }
            vars.put(prefix + "_PORT", String.valueOf(a.port()));
            if (a.protocol().covers(Protocol.TCP)) {
                String host = a.host().indexOf(':') >= 0 ? "[" + a.host() + "]" : a.host();
                vars.put(prefix + "_URL", "http://" + host + ":" + a.port());
            }
        }
        return new EnvExport(vars);
    }

    private static String who(Allocation a) {
        return "project '" + a.project() + "' service '" + a.service() + "'";
    }

    /** {@code consilio-api.v2} becomes {@code CONSILIO_API_V2}. */
    public static String name(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
            b.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        if (b.length() > 0 && Character.isDigit(b.charAt(0))) {
            b.insert(0, '_');
        }
        return b.toString();
    }

    /**
     * A copy with one more variable, after the others, such as {@code COMPOSE_PROJECT_NAME}; a variable of the same
     * name is replaced.
     *
     * @throws NullPointerException if an argument is null
     */
    public EnvExport with(String name, String value) {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(value, "value == null");
        Map<String, String> vars = new LinkedHashMap<>(variables);
        vars.remove(name);
        vars.put(name, value);
        return new EnvExport(vars);
    }

    /** The variables, in order; unmodifiable. */
    public Map<String, String> variables() {
        return variables;
    }

    /** A shell script: {@code export CONSILIO_API_PORT=3101} lines, values single-quoted. */
    public String shell() {
        StringBuilder b = new StringBuilder("#!/bin/sh\n# Service ports from Port Manager\n");
        variables.forEach((k, v) -> b.append("export ").append(k).append("='").append(v.replace("'", "'\\''"))
                .append("'\n"));
        return b.toString();
    }

    /** A dotenv file: {@code CONSILIO_API_PORT=3101} lines. */
    public String dotenv() {
        StringBuilder b = new StringBuilder();
        variables.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    /** A JSON object of the variables. */
    public String json() {
        StringBuilder b = new StringBuilder("{");
        variables.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(quote(k)).append(": ").append(quote(v)));
        return b.append("}\n").toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    @Override
    public String toString() {
        return dotenv();
    }
}
