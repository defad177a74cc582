package dev.portmanager.wire;

import dev.portmanager.AllocationExistsException;
import dev.portmanager.RefusedArgumentException;

/**
 * How a face says what fixes a refused request, in the words of the interface the request came through: the library's
 * exceptions give their advice in Java terms for Java callers, and carry what is wrong and what fixes it as data
 * ({@link RefusedArgumentException#remedy()}, {@link AllocationExistsException#existing()}), so the CLI can name a
 * flag, the HTTP server a route and the MCP server a tool. Implementations are stateless and thread-safe.
 *
 * <pre>{@code
 * String line = CLI_WORDS.message(e);               // the problem, then this face's fix
 * ObjectNode body = ErrorJson.error(e, CLI_WORDS);  // the same message in the JSON error form
 * }</pre>
 */
public interface Remedies {
    /** For a service that already holds a port: how to reuse, move or free it. */
    String existingAllocation();

    /** No range has this name: define it, or name another. */
    String defineRange(String name);

    /** The preferred port is outside the request's range: name the range that holds it, or ask for it exactly. */
    String nameRangeOrAskExactly(String port);

    /** The system port is in no range: define a range that includes it. */
    String rangeIncludingPort(String port);

    /** The range lies in the avoided ephemeral range, which starts at {@code start}: move it below. */
    String rangeBelowEphemeral(String start);

    /** No store opens the URI: give one of the forms the message lists. */
    String knownStoreUri();

    /**
     * The one-line message of a failure: for a failure the library describes as data, its problem and this face's
     * fix; for any other, its message (its class's simple name when it has none).
     *
     * @throws NullPointerException if the failure is null
     */
    default String message(Throwable failure) {
        if (failure instanceof RefusedArgumentException refused) {
            String subject = refused.subject();
            String fix = switch (refused.remedy()) {
                case DEFINE_RANGE -> defineRange(subject);
                case NAME_RANGE_OR_ASK_EXACTLY -> nameRangeOrAskExactly(subject);
                case RANGE_INCLUDING_PORT -> rangeIncludingPort(subject);
                case RANGE_BELOW_EPHEMERAL -> rangeBelowEphemeral(subject);
                case KNOWN_STORE_URI -> knownStoreUri();
            };
            return refused.problem() + "; " + fix;
        }
        if (failure instanceof AllocationExistsException exists) {
            return exists.problem() + "; " + existingAllocation();
        }
        String m = failure.getMessage();
        return m == null || m.isBlank() ? failure.getClass().getSimpleName() : m;
    }
}
