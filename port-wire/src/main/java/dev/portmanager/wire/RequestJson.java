package dev.portmanager.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.AllocationRequest;
import dev.portmanager.AllocationUpdate;
import dev.portmanager.Checks;
import dev.portmanager.PlannedBinding;
import dev.portmanager.PortRange;
import dev.portmanager.Protocol;
import dev.portmanager.SearchOrder;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Requests read from JSON, the other way round from {@link RegistryJson}: what a face (the HTTP server, an MCP tool)
 * receives as a body becomes the API's request, with the same field names as the values it answers with
 * (snake_case). Thread-safe.
 *
 * <p>Every method throws {@link IllegalArgumentException} naming the field, the value and what is accepted when the
 * JSON is not what it should be (a missing or unknown field, a wrong type, a value the API refuses), so that a
 * client can show the message as it is; nothing else is thrown for bad input.
 */
public final class RequestJson {
    private static final Set<String> REQUEST_FIELDS = Set.of("project", "service", "range", "protocol", "port",
            "preferred_port", "alternatives", "alternatives_only", "description", "metadata", "health_endpoint",
            "search_order", "ttl", "environment", "host", "already_listening");
    private static final Set<String> UPDATE_FIELDS = Set.of("description", "metadata", "health_endpoint");
    private static final Set<String> BINDING_FIELDS = Set.of("project", "service", "port", "protocol", "address");
    private static final Set<String> RANGE_FIELDS = Set.of("name", "start", "end", "description", "auto_allocate");

    private RequestJson() {
    }

    /**
     * An allocation request: {@code project} and {@code service} (required), then optionally {@code range},
     * {@code protocol} ({@code tcp}, {@code udp}, {@code both}), {@code port} (exactly this port) or
     * {@code preferred_port} (this one if free), {@code alternatives} (ports to try next, in order, before the rest
     * of the range) and {@code alternatives_only} (never another port), {@code description}, {@code metadata} (an
     * object of strings),
     * {@code health_endpoint}, {@code search_order} ({@code lowest-first}, {@code spread}, {@code sticky}),
     * {@code ttl} (a lease: {@link #duration}), {@code environment}, {@code host} and {@code already_listening}
     * (register a port a service already listens on).
     *
     * @throws IllegalArgumentException if the body is not such an object
     */
    public static AllocationRequest allocationRequest(JsonNode body) {
        JsonNode o = object(body, "an allocation request", REQUEST_FIELDS);
        AllocationRequest.Builder b = AllocationRequest.builder(requiredText(o, "project"), requiredText(o, "service"));
        if (has(o, "range")) {
            b.range(text(o, "range"));
        }
        if (has(o, "protocol")) {
            b.protocol(Protocol.parse(text(o, "protocol")));
        }
        if (has(o, "port") && has(o, "preferred_port")) {
            throw new IllegalArgumentException("\"port\": " + o.get("port") + " and \"preferred_port\": "
                    + o.get("preferred_port") + " both name a port; give one");
        }
        if (has(o, "port")) {
            b.port(integer(o, "port"));
        }
        if (has(o, "preferred_port")) {
            b.preferredPort(integer(o, "preferred_port"));
        }
        alternatives(o, b);
        if (has(o, "description")) {
            b.description(text(o, "description"));
        }
        if (has(o, "metadata")) {
            metadata(o).forEach((k, v) -> {
                if (v == null) {
                    throw new IllegalArgumentException("\"metadata\": \"" + k + "\" is null; give each key a string");
                }
                b.metadata(k, v);
            });
        }
        if (has(o, "health_endpoint")) {
            b.healthEndpoint(text(o, "health_endpoint"));
        }
        if (has(o, "search_order")) {
            b.searchOrder(SearchOrder.parse(text(o, "search_order")));
        }
        if (has(o, "ttl")) {
            b.ttl(duration(o.get("ttl"), "ttl"));
        }
        if (has(o, "environment")) {
            b.environment(text(o, "environment"));
        }
        if (has(o, "host")) {
            b.host(text(o, "host"));
        }
        if (has(o, "already_listening") && bool(o, "already_listening")) {
            if (!has(o, "port")) {
                throw new IllegalArgumentException("\"already_listening\" registers a port a service listens on "
                        + "already; name it with \"port\"");
            }
            b.alreadyListening();
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            // Options that do not go together are bad input here, not a state of the program.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Reads {@code alternatives} and {@code alternatives_only}, checked in this form's words. */
    private static void alternatives(JsonNode o, AllocationRequest.Builder b) {
        boolean only = has(o, "alternatives_only") && bool(o, "alternatives_only");
        if (!has(o, "alternatives")) {
            if (only) {
                throw new IllegalArgumentException("\"alternatives_only\" limits the request to its alternatives, but "
                        + "none were given; name them with \"alternatives\": [8001, 8002]");
            }
            return;
        }
        if (has(o, "port")) {
            throw new IllegalArgumentException("\"port\": " + o.get("port") + " asks for exactly that port, so "
                    + "\"alternatives\" would never be tried; give it as \"preferred_port\" instead");
        }
        JsonNode list = o.get("alternatives");
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("\"alternatives\" must be a non-empty array of ports, such as [8001, "
                    + "8002], got " + list);
        }
        List<Integer> ports = new ArrayList<>();
        for (JsonNode p : list) {
            if (!p.isIntegralNumber() || !p.canConvertToInt()) {
                throw new IllegalArgumentException("\"alternatives\": " + p + " is not a port number; give numbers "
                        + "such as 8001");
            }
            int port = Checks.port("alternative port", p.intValue());
            if (ports.contains(port)) {
                throw new IllegalArgumentException("\"alternatives\" names " + port + " twice; name each port once");
            }
            if (has(o, "preferred_port") && port == o.get("preferred_port").intValue()) {
                throw new IllegalArgumentException("\"alternatives\" names " + port + ", the \"preferred_port\"; "
                        + "leave it out of the alternatives");
            }
            ports.add(port);
        }
        int[] array = new int[ports.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = ports.get(i);
        }
        b.alternatives(array);
        if (only) {
            b.alternativesOnly();
        }
    }

    /**
     * A reservation: an {@link #allocationRequest} whose {@code ttl} is required and is the hold's length.
     *
     * @throws IllegalArgumentException if the body is not such an object, or has no ttl
     */
    public static Reservation reservation(JsonNode body) {
        JsonNode o = object(body, "a reservation", REQUEST_FIELDS);
        if (!has(o, "ttl")) {
            throw new IllegalArgumentException("\"ttl\" is missing; a reservation ends by itself after it, such as "
                    + "\"10m\"");
        }
        ObjectNode rest = o.deepCopy();
        Duration ttl = duration(rest.remove("ttl"), "ttl");
        return new Reservation(allocationRequest(rest), ttl);
    }

    /**
     * A lease renewal: {@code project}, {@code service} and {@code ttl} (the new lease, from now), all required.
     *
     * @throws IllegalArgumentException if the body is not such an object
     */
    public static Renewal renewal(JsonNode body) {
        JsonNode o = object(body, "a renewal", Set.of("project", "service", "ttl"));
        String project = requiredText(o, "project");
        String service = requiredText(o, "service");
        if (!has(o, "ttl")) {
            throw new IllegalArgumentException("\"ttl\" is missing; give the new lease, such as \"10m\"");
        }
        return new Renewal(project, service, duration(o.get("ttl"), "ttl"));
    }

    /**
     * An allocation request and the length of its hold.
     *
     * @param request the request, without a ttl of its own
     * @param ttl     how long the hold lasts
     */
    public record Reservation(AllocationRequest request, Duration ttl) {
    }

    /**
     * A lease renewal.
     *
     * @param project the project
     * @param service the service
     * @param ttl     the new lease, from now
     */
    public record Renewal(String project, String service, Duration ttl) {
    }

    /**
     * Several allocation requests, all or nothing: {@code {"requests": [request, ...]}}, each as
     * {@link #allocationRequest}.
     *
     * @throws IllegalArgumentException if the body is not such an object, or the list is empty
     */
    public static List<AllocationRequest> allocationRequests(JsonNode body) {
        return list(body, "a bulk allocation", "requests", "allocation requests", RequestJson::allocationRequest);
    }

    /**
     * A change to an allocation: {@code description}, {@code metadata} (an object; a key set to null is removed)
     * and {@code health_endpoint} (null removes it); at least one.
     *
     * @throws IllegalArgumentException if the body is not such an object, or changes nothing
     */
    public static AllocationUpdate update(JsonNode body) {
        JsonNode o = object(body, "an update", UPDATE_FIELDS);
        AllocationUpdate.Builder b = AllocationUpdate.builder();
        if (has(o, "description")) {
            b.description(text(o, "description"));
        }
        if (o.has("metadata")) {
            metadata(o).forEach((k, v) -> {
                if (v == null) {
                    b.removeMetadata(k);
                } else {
                    b.putMetadata(k, v);
                }
            });
        }
        if (o.has("health_endpoint")) {
            b.healthEndpoint(o.get("health_endpoint").isNull() ? null : uri(text(o, "health_endpoint")));
        }
        AllocationUpdate update = b.build();
        if (update.isEmpty()) {
            throw new IllegalArgumentException("nothing to update: give \"description\", \"metadata\" or "
                    + "\"health_endpoint\"");
        }
        return update;
    }

    /**
     * Planned bindings to check: {@code {"bindings": [{"project", "service", "port", "protocol", "address"}, ...]}};
     * {@code protocol} defaults to {@code tcp}, {@code address} to {@code 0.0.0.0}.
     *
     * @throws IllegalArgumentException if the body is not such an object
     */
    public static List<PlannedBinding> plannedBindings(JsonNode body) {
        return list(body, "a plan", "bindings", "{\"project\", \"service\", \"port\"} objects", item -> {
            JsonNode b = object(item, "a binding", BINDING_FIELDS);
            return new PlannedBinding(requiredText(b, "project"), requiredText(b, "service"),
                    requiredInteger(b, "port"), has(b, "protocol") ? Protocol.parse(text(b, "protocol"))
                    : Protocol.TCP, has(b, "address") ? text(b, "address") : "0.0.0.0");
        });
    }

    /**
     * Ports to look up: {@code {"ports": [8080, 8081]}}.
     *
     * @throws IllegalArgumentException if the body is not such an object
     */
    public static List<Integer> ports(JsonNode body) {
        return list(body, "a port check", "ports", "port numbers", p -> {
            if (!p.canConvertToInt() || !p.isIntegralNumber()) {
                throw new IllegalArgumentException(p + " is not a port number; give numbers such as 8080");
            }
            return Checks.port("port", p.intValue());
        });
    }

    /**
     * A range to define: {@code name}, {@code start}, {@code end} (required), {@code description},
     * {@code auto_allocate} (default true).
     *
     * @throws IllegalArgumentException if the body is not such an object, or the range is invalid
     */
    public static PortRange range(JsonNode body) {
        JsonNode o = object(body, "a range", RANGE_FIELDS);
        return new PortRange(requiredText(o, "name"), requiredInteger(o, "start"), requiredInteger(o, "end"),
                has(o, "description") ? text(o, "description") : "",
                !has(o, "auto_allocate") || bool(o, "auto_allocate"));
    }

    /**
     * A duration: a number of seconds ({@code 600}), or text: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h},
     * {@code 1d}, or ISO-8601 ({@code PT10M}); positive.
     *
     * @param value the JSON value
     * @param field the field's name, for the message
     * @throws IllegalArgumentException if the value is none of these
     */
    public static Duration duration(JsonNode value, String field) {
        Duration d = null;
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
            d = Duration.ofSeconds(value.longValue());
        } else if (value != null && value.isTextual()) {
            d = parseDuration(value.textValue()).orElse(null);
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("\"" + field + "\": " + value + " is not a positive duration; write "
                    + "seconds (600) or \"30s\", \"10m\", \"2h\", \"1d\", \"PT10M\"");
        }
        return d;
    }

    /**
     * A duration as text: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}, or ISO-8601
     * ({@code PT10M}); any case, spaces around ignored. The CLI's options read durations with it too.
     *
     * @return the duration (zero included), or empty when the text is none of these
     * @throws NullPointerException if the text is null
     */
    public static Optional<Duration> parseDuration(String text) {
        return Optional.ofNullable(duration(text.strip().toLowerCase(Locale.ROOT)));
    }

    private static Duration duration(String t) {
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            int unitAt = 0;
            while (unitAt < t.length() && Character.isDigit(t.charAt(unitAt))) {
                unitAt++;
            }
            if (unitAt == 0) {
                return null;
            }
            long n = Long.parseLong(t.substring(0, unitAt));
            switch (t.substring(unitAt)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                    return Duration.ofSeconds(n);
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                case "d":
                    return Duration.ofDays(n);
                default:
                    return null;
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    /** {@code {"field": [item, ...]}}, not empty, each item read by {@code read}; a bad item's message names it. */
    private static <T> List<T> list(JsonNode body, String what, String field, String items,
                                    Function<JsonNode, T> read) {
        JsonNode o = object(body, what, Set.of(field));
        JsonNode list = o.get(field);
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-empty array of " + items + ", got "
                    + (list == null ? "nothing" : list.toString()));
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                out.add(read.apply(list.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"" + field + "\"[" + i + "]: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static JsonNode object(JsonNode body, String what, Set<String> known) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("expected " + what + " as a JSON object, got "
                    + (body == null || body.isMissingNode() ? "nothing" : body.getNodeType().toString()
                    .toLowerCase(Locale.ROOT)));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown field \"" + name + "\" in " + what + "; known fields: "
                        + String.join(", ", new TreeSet<>(known)));
            }
        }
        return body;
    }

    private static boolean has(JsonNode o, String field) {
        return o.has(field) && !o.get(field).isNull();
    }

    private static String requiredText(JsonNode o, String field) {
        if (!has(o, field)) {
            throw new IllegalArgumentException("\"" + field + "\" is missing; give it as a string");
        }
        return text(o, field);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string, got " + v);
        }
        return v.textValue();
    }

    private static int requiredInteger(JsonNode o, String field) {
        if (!has(o, field)) {
            throw new IllegalArgumentException("\"" + field + "\" is missing; give it as a number");
        }
        return integer(o, field);
    }

    private static int integer(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a whole number, got " + v);
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"health_endpoint\": '" + text + "' is not a URL; give one such as "
                    + "http://localhost:3100/health", e);
        }
    }

    /** The metadata object; a value may be null (for an update: remove the key). */
    private static Map<String, String> metadata(JsonNode o) {
        JsonNode m = o.get("metadata");
        if (!m.isObject()) {
            throw new IllegalArgumentException("\"metadata\" must be an object of strings, got " + m);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull() && !e.getValue().isTextual()) {
                throw new IllegalArgumentException("\"metadata\": \"" + e.getKey() + "\" must be a string, got "
                        + e.getValue());
            }
            out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().textValue());
        }
        return out;
    }
}
