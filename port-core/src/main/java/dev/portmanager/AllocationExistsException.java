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
        super(problem(existing) + "; use getOrAllocate to reuse it, reassign to move it, or release it first");
        this.existing = existing;
    }

    /**
     * What is wrong, without the advice (which each face gives in its own words): {@code consilio/api already holds
     * 3000/TCP on localhost (environment default)}. Thread-safe.
     */
    public String problem() {
        return problem(existing);
    }

    private static String problem(Allocation a) {
        return a.project() + "/" + a.service() + " already holds " + a.port() + "/" + a.protocol() + " on " + a.host()
                + " (environment " + a.environment() + ")";
    }

    /** The live allocation the service holds. */
    public Allocation existing() {
        return existing;
    }
}
