package dev.portmanager;

/**
 * An operation on an existing allocation (update, renew, reassign) found no live allocation to work on: it was
 * never made, was released, or its lease lapsed and the port was reclaimed.
 */
public class AllocationNotFoundException extends PortManagerException {
    private static final long serialVersionUID = 1L;

    /** @param message what was looked for, where, and what to do */
    public AllocationNotFoundException(String message) {
        super(message);
    }
}
