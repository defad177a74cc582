package dev.portmanager;

/**
 * The root of every failure Port Manager reports that is not a programming error. Programming errors stay
 * {@link IllegalArgumentException}, {@link IllegalStateException} and {@link NullPointerException}; no
 * {@link java.io.IOException} or {@link java.sql.SQLException} crosses the API except as a cause.
 */
public class PortManagerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message that says what failed and what to do. */
    public PortManagerException(String message) {
        super(message);
    }

    /** An exception with a message and the underlying cause. */
    public PortManagerException(String message, Throwable cause) {
        super(message, cause);
    }
}
