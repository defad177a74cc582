package dev.portmanager.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.PortManagerException;

import java.util.Locale;
import java.util.Objects;

import static dev.portmanager.wire.Nodes.F;

/**
 * A failure as JSON: {@code {"error": "<kind>", "message": "<what failed and what to do>"}}, so that a script or a
 * client always gets a document, never empty output. Thread-safe.
 *
 * <p>The kinds, from {@link #kind(Throwable)}:
 * <ul>
 *   <li>a {@link PortManagerException} subclass: its class name without {@code Exception}, in snake_case:
 *       {@code no_free_port}, {@code port_conflict}, {@code allocation_exists}, {@code allocation_not_found},
 *       {@code range_conflict}, {@code store_unavailable}, {@code store_corrupted}, {@code termination_refused},
 *       {@code probe_unavailable}; a plain {@code PortManagerException}: {@code failed};</li>
 *   <li>{@link IllegalArgumentException}: {@code invalid_argument} (a value the rules refuse);</li>
 *   <li>{@link IllegalStateException}: {@code invalid_state} (a call the object's state refuses);</li>
 *   <li>anything else: {@code internal} (a defect).</li>
 * </ul>
 * A face adds its own kinds for failures before the API is reached, such as {@link #USAGE}.
 */
public final class ErrorJson {
    /** The kind of a command line, request or tool call that could not be read (a missing or unknown argument). */
    public static final String USAGE = "usage";

    private ErrorJson() {
    }

    /**
     * {@code {"error": kind, "message": message}}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static ObjectNode error(String kind, String message) {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(message, "message == null");
        return F.objectNode().put("error", kind).put("message", message);
    }

    /**
     * The failure as {@code {"error": kind(failure), "message": ...}}; the message is the exception's, or its class's
     * simple name when it has none.
     *
     * @throws NullPointerException if the failure is null
     */
    public static ObjectNode error(Throwable failure) {
        String m = failure.getMessage();
        return error(kind(failure), m == null || m.isBlank() ? failure.getClass().getSimpleName() : m);
    }

    /**
     * The failure as {@code {"error": kind(failure), "message": ...}}, the message in the face's words
     * ({@link Remedies#message}).
     *
     * @throws NullPointerException if an argument is null
     */
    public static ObjectNode error(Throwable failure, Remedies remedies) {
        return error(kind(failure), remedies.message(failure));
    }

    /**
     * The kind of a failure, as listed in the class comment.
     *
     * @throws NullPointerException if the failure is null
     */
    public static String kind(Throwable failure) {
        Objects.requireNonNull(failure, "failure == null");
        if (failure instanceof PortManagerException) {
            Class<?> type = failure.getClass();
            while (type.isAnonymousClass()) {
                type = type.getSuperclass();
            }
            return type == PortManagerException.class ? "failed" : snake(type.getSimpleName());
        }
        if (failure instanceof IllegalArgumentException) {
            return "invalid_argument";
        }
        if (failure instanceof IllegalStateException) {
            return "invalid_state";
        }
        return "internal";
    }

    /** {@code NoFreePortException} becomes {@code no_free_port}. */
    private static String snake(String className) {
        String name = className.endsWith("Exception") ? className.substring(0, className.length() - 9) : className;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                b.append('_');
            }
            b.append(c);
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
