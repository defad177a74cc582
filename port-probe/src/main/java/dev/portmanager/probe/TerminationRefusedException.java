package dev.portmanager.probe;

import dev.portmanager.PortManagerException;

/**
 * {@link ProcessControl} would not end a process, and sent it nothing. The message names the process, says why and
 * what to do instead; {@link #reason()} says the same for code.
 */
public class TerminationRefusedException extends PortManagerException {
    private static final long serialVersionUID = 1L;

    /** Why a termination was refused. */
    public enum Reason {
        /** The target is pid 1, the init process: ending it stops the machine or the container. */
        INIT_PROCESS,
        /** The target is the JVM asking. */
        THIS_JVM,
        /** The target is the parent of the JVM asking (the shell, build tool or supervisor that started it). */
        PARENT_OF_THIS_JVM,
        /**
         * The target is a further ancestor of the JVM asking (its parent's parent, or higher): a process that
         * started it through a shell, such as a listener running {@code bash -c 'portman kill PORT'}.
         */
        ANCESTOR_OF_THIS_JVM,
        /** The target runs as another user (or its user cannot be read) and other users were not allowed. */
        OTHER_USER,
        /** A socket on the port is held by a process this user cannot see, so it cannot be named or checked. */
        OWNER_UNKNOWN
    }

    private final Reason reason;
    private final long pid;
    private final String problem;

    /**
     * @param reason  why
     * @param pid     the process refused; 0 when it is not known ({@link Reason#OWNER_UNKNOWN})
     * @param message the process, the reason and what to do
     */
    public TerminationRefusedException(Reason reason, long pid, String message) {
        super(message);
        this.reason = reason;
        this.pid = pid;
        this.problem = message;
    }

    /**
     * A refusal whose advice is in Java terms ({@link ProcessControl.Builder#allowOtherUsers()}), kept apart so that
     * another interface can give its own: the message is {@code problem + "; " + advice}.
     *
     * @param reason  why
     * @param pid     the process refused; 0 when it is not known
     * @param problem the process and the reason
     * @param advice  what to do, in Java terms
     */
    public TerminationRefusedException(Reason reason, long pid, String problem, String advice) {
        super(problem + "; " + advice);
        this.reason = reason;
        this.pid = pid;
        this.problem = problem;
    }

    /** Why the termination was refused. */
    public Reason reason() {
        return reason;
    }

    /** The process refused; 0 when it is not known. */
    public long pid() {
        return pid;
    }

    /**
     * The process and the reason without the advice, for an interface that gives its own (for
     * {@link Reason#OTHER_USER}, the portman CLI's {@code --other-users}); the whole message when the advice is not
     * in Java terms.
     */
    public String problem() {
        return problem;
    }
}
