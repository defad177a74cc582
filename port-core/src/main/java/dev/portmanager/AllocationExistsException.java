package dev.portmanager;

/**
 * {@link PortManager#allocate} was asked for a service that already holds a live allocation: a (host, project,
 * service, environment) has at most one. Use {@link PortManager#getOrAllocate} to reuse it,
 * {@link PortManager#reassign} to move it, or release it first.
 */
public class AllocationExistsException extends PortManagerException {
    private static final long serialVersionUID = 1L;

    private final transient Allocation existing;

    /** @param existing the live allocation the service holds */
    public AllocationExistsException(Allocation existing) {
        super(existing.project() + "/" + existing.service() + " already holds " + existing.port() + "/"
                + existing.protocol() + " on " + existing.host() + " (environment " + existing.environment()
                + "); use getOrAllocate to reuse it, reassign to move it, or release it first");
        this.existing = existing;
    }

    /** The live allocation the service holds. */
    public Allocation existing() {
        return existing;
    }
}
