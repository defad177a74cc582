package dev.portmanager;

import java.util.Objects;

/**
 * An argument the rules refuse, with the fix as data. The message says what is wrong and what to do in Java terms
 * (the method to call); {@link #problem()} is what is wrong alone, and {@link #remedy()} with {@link #subject()} says
 * what fixes it, so that another interface (the {@code portman} CLI, a server) can give the advice in its own terms:
 * a flag or a command rather than a method. Like any {@link IllegalArgumentException}, the call changed nothing.
 */
public class RefusedArgumentException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What fixes the refused argument. */
    public enum Remedy {
        /** No range has the name {@link #subject()}: define it, or name another. */
        DEFINE_RANGE,
        /**
         * The preferred port {@link #subject()} is outside the request's range: name the range that holds it, or ask
         * for the port exactly.
         */
        NAME_RANGE_OR_ASK_EXACTLY,
        /** The system port {@link #subject()} (below 1024) is in no range: define a range that includes it. */
        RANGE_INCLUDING_PORT,
        /**
         * The range lies wholly in the avoided OS ephemeral range, which starts at port {@link #subject()}: move it
         * below.
         */
        RANGE_BELOW_EPHEMERAL,
        /** No store opens the URI {@link #subject()}: give a URI in one of the known forms the message lists. */
        KNOWN_STORE_URI
    }

    private final String problem;
    private final Remedy remedy;
    private final String subject;

    /**
     * @param problem what is wrong, naming the bad value
     * @param advice  what to do, in Java terms; the message is {@code problem + "; " + advice}
     * @param remedy  what fixes it
     * @param subject the value the remedy is about: a range name, a port, a URI
     * @throws NullPointerException if an argument is null
     */
    public RefusedArgumentException(String problem, String advice, Remedy remedy, String subject) {
        super(Objects.requireNonNull(problem, "problem == null") + "; "
                + Objects.requireNonNull(advice, "advice == null"));
        this.problem = problem;
        this.remedy = Objects.requireNonNull(remedy, "remedy == null");
        this.subject = Objects.requireNonNull(subject, "subject == null");
    }

    /** What is wrong, naming the bad value, without the advice. */
    public String problem() {
        return problem;
    }

    /** What fixes it. */
    public Remedy remedy() {
        return remedy;
    }

    /** The value the remedy is about: a range name, a port, a URI (see {@link Remedy}). */
    public String subject() {
        return subject;
    }
}
