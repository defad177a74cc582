package dev.portmanager.cli;

import dev.portmanager.probe.TerminationRefusedException;
import dev.portmanager.wire.Remedies;

/**
 * A failure in the CLI's words. The library's messages give their advice in Java terms (the method to call); where
 * they do, the exception also carries what is wrong and what fixes it as data, and this class says the fix as the
 * flag or command to use instead.
 */
final class Advice {
    /** The fixes as flags and commands. */
    static final Remedies WORDS = new Remedies() {
        @Override
        public String existingAllocation() {
            return "portman get reuses it, portman reassign moves it, portman release frees it";
        }

        @Override
        public String defineRange(String name) {
            return "define it with: portman define-range " + name + " START END, or name another";
        }

        @Override
        public String nameRangeOrAskExactly(String port) {
            return "name the range that holds it with -r RANGE, or ask for it exactly with --port " + port;
        }

        @Override
        public String rangeIncludingPort(String port) {
            return "define a range that includes it first: portman define-range NAME START END";
        }

        @Override
        public String rangeBelowEphemeral(String start) {
            return "move the range below " + start;
        }

        @Override
        public String knownStoreUri() {
            return "give --store (or $PORTMANAGER_STORE) in one of these forms";
        }
    };

    private Advice() {
    }

    /** The one-line message for a failure: what is wrong and what to do, naming flags and commands. */
    static String message(Throwable e) {
        if (e instanceof TerminationRefusedException refused
                && refused.reason() == TerminationRefusedException.Reason.OTHER_USER) {
            return refused.problem() + "; add --other-users if ending it is intended";
        }
        return WORDS.message(e);
    }
}
