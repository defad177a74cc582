package dev.portmanager;

/**
 * The store's data cannot be read as a registry: a file that does not parse, a schema newer than this library, a
 * row that breaks the model. The store is left untouched; the message names where and how to recover.
 */
public class StoreCorruptedException extends PortManagerException {
    private static final long serialVersionUID = 1L;

    /** @param message where the data is broken and how to recover */
    public StoreCorruptedException(String message) {
        super(message);
    }

    /** @param message where the data is broken and how to recover; @param cause the parser's or driver's error */
    public StoreCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
