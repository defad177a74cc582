package dev.portmanager.cli;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationExistsException;
import dev.portmanager.RefusedArgumentException;
import dev.portmanager.probe.TerminationRefusedException;

/**
 * A failure in the CLI's words. The library's messages give their advice in Java terms (the method to call); where
 * they do, the exception also carries what is wrong and what fixes it as data, and this class says the fix as the
 * flag or command to use instead.
 */
final class Advice {
    private Advice() {
    }

    /** The one-line message for a failure: what is wrong and what to do, naming flags and commands. */
    static String message(Throwable e) {
        if (e instanceof RefusedArgumentException refused) {
            return refused.problem() + "; " + fix(refused);
        }
        if (e instanceof AllocationExistsException exists) {
            Allocation a = exists.existing();
            return a.project() + "/" + a.service() + " already holds " + a.port() + "/" + a.protocol() + " on "
                    + a.host() + " (environment " + a.environment() + "); portman get reuses it, portman reassign "
                    + "moves it, portman release frees it";
        }
        if (e instanceof TerminationRefusedException refused
                && refused.reason() == TerminationRefusedException.Reason.OTHER_USER) {
            return refused.problem() + "; add --other-users if ending it is intended";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String fix(RefusedArgumentException e) {
        String subject = e.subject();
        return switch (e.remedy()) {
            case DEFINE_RANGE -> "define it with: portman define-range " + subject + " START END, or name another";
            case NAME_RANGE_OR_ASK_EXACTLY -> "name the range that holds it with -r RANGE, or ask for it exactly with "
                    + "--port " + subject;
            case RANGE_INCLUDING_PORT -> "define a range that includes it first: portman define-range NAME START END";
            case RANGE_BELOW_EPHEMERAL -> "move the range below " + subject;
            case KNOWN_STORE_URI -> "give --store (or $PORTMANAGER_STORE) in one of these forms";
        };
    }
}
