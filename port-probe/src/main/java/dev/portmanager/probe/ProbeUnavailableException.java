package dev.portmanager.probe;

import dev.portmanager.PortManagerException;

/**
 * The OS socket table could not be read at all: {@code /proc} not mounted, {@code lsof} or {@code netstat} missing
 * or failing. The message names what was tried and what to do. Bind checks ({@link SystemProbe#isFree}) still work.
 */
public class ProbeUnavailableException extends PortManagerException {
    private static final long serialVersionUID = 1L;

    /** @param message what could not be read and what to do */
    public ProbeUnavailableException(String message) {
        super(message);
    }

    /** @param message what could not be read and what to do; @param cause the underlying error */
    public ProbeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
