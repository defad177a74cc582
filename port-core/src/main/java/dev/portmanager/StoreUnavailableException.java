package dev.portmanager;

/**
 * The store could not be reached or written: a folder that cannot be written, a lock not had in time, a lost
 * database connection. Nothing was half-written; the operation may be retried.
 */
public class StoreUnavailableException extends PortManagerException {
    private static final long serialVersionUID = 1L;

    /** @param message what could not be reached and what to do */
    public StoreUnavailableException(String message) {
        super(message);
    }

    /** @param message what could not be reached and what to do; @param cause the underlying error */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
