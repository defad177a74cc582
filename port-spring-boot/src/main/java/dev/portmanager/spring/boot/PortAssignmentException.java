package dev.portmanager.spring.boot;

import dev.portmanager.PortManagerException;

import java.util.Objects;

/**
 * The application's ports could not be taken from the registry, so it does not start. Spring Boot reports it as
 * "APPLICATION FAILED TO START" with {@link #description()} and {@link #action()}; the action names the property to
 * change. Store URIs in the text have their password masked. Immutable and thread-safe.
 */
public class PortAssignmentException extends PortManagerException {
    private static final long serialVersionUID = 1L;

    private final String description;
    private final String action;
    private final String property;

    /**
     * @param description what failed, naming the property and the store
     * @param action      what to do, naming the property to change
     * @param property    the property to change, such as {@code portmanager.store}
     * @param cause       the library's exception, or null
     * @throws NullPointerException if a text is null
     */
    public PortAssignmentException(String description, String action, String property, Throwable cause) {
        super(Objects.requireNonNull(description, "description == null") + "; "
                + Objects.requireNonNull(action, "action == null"), cause);
        this.description = description;
        this.action = action;
        this.property = Objects.requireNonNull(property, "property == null");
    }

    /** What failed: the property being set, the store, and the library's message. */
    public String description() {
        return description;
    }

    /** What to do, naming the property to change. */
    public String action() {
        return action;
    }

    /** The property to change, such as {@code portmanager.store} or {@code portmanager.range}. */
    public String property() {
        return property;
    }
}
