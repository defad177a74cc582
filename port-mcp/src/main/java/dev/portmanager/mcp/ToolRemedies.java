package dev.portmanager.mcp;

import dev.portmanager.wire.Remedies;

/** The fixes of a refused tool call as the tools and arguments an agent can use. Stateless and thread-safe. */
final class ToolRemedies implements Remedies {
    static final ToolRemedies WORDS = new ToolRemedies();

    private ToolRemedies() {
    }

    @Override
    public String existingAllocation() {
        return "get-port returns it, release-port frees it";
    }

    @Override
    public String defineRange(String name) {
        return "give serviceType a range the registry has (port-summary lists them), or have it defined: "
                + "portman define-range " + name + " START END";
    }

    @Override
    public String nameRangeOrAskExactly(String port) {
        return "give serviceType the range that holds it, or ask for it exactly with allocate-port's port " + port;
    }

    @Override
    public String rangeIncludingPort(String port) {
        return "have a range that includes it defined first: portman define-range NAME START END";
    }

    @Override
    public String rangeBelowEphemeral(String start) {
        return "move the range below " + start;
    }

    @Override
    public String knownStoreUri() {
        return "start portman mcp with --store (or $PORTMANAGER_STORE) in one of these forms";
    }
}
