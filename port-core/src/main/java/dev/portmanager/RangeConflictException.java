package dev.portmanager;

/**
 * A range was declared with the name of a stored range but other ports. Ranges live in the store so that every
 * process sharing a registry agrees on them; a contradiction is refused rather than silently resolved.
 */
public class RangeConflictException extends PortManagerException {
    private static final long serialVersionUID = 1L;

    private final PortRange stored;
    private final PortRange requested;

    /**
     * @param stored    the range in the store
     * @param requested the contradicting declaration
     * @param store     the store, for the message
     */
    public RangeConflictException(PortRange stored, PortRange requested, String store) {
        super("range '" + stored.name() + "' is " + describe(stored, requested) + " in " + store + ", not "
                + describe(requested, stored) + " as declared; declare it as stored, or give the new range another "
                + "name");
        this.stored = stored;
        this.requested = requested;
    }

    /** The range's ports, and whether it is auto-allocated when that is what differs. */
    private static String describe(PortRange r, PortRange other) {
        String ports = r.start() + "-" + r.end();
        if (r.autoAllocate() == other.autoAllocate()) {
            return ports;
        }
        return ports + (r.autoAllocate() ? " with auto-allocation" : " without auto-allocation");
    }

    /** The range in the store. */
    public PortRange stored() {
        return stored;
    }

    /** The contradicting declaration. */
    public PortRange requested() {
        return requested;
    }
}
