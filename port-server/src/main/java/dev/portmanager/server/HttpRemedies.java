package dev.portmanager.server;

import dev.portmanager.wire.Remedies;

/** The fixes of a refused request as routes and body fields of this API. Stateless and thread-safe. */
final class HttpRemedies implements Remedies {
    static final HttpRemedies WORDS = new HttpRemedies();

    private HttpRemedies() {
    }

    @Override
    public String existingAllocation() {
        return "POST /get-or-allocate returns it, DELETE /services/{project}/{service} frees it";
    }

    @Override
    public String defineRange(String name) {
        return "define it with POST /ranges {\"name\": \"" + name + "\", \"start\": ..., \"end\": ...}, or name another "
                + "(GET /ranges lists them)";
    }

    @Override
    public String nameRangeOrAskExactly(String port) {
        return "give \"range\" the range that holds it, or ask for it exactly with \"port\": " + port;
    }

    @Override
    public String rangeIncludingPort(String port) {
        return "define a range that includes it first: POST /ranges";
    }

    @Override
    public String rangeBelowEphemeral(String start) {
        return "move the range below " + start;
    }

    @Override
    public String knownStoreUri() {
        return "start the server with --store in one of these forms";
    }
}
