package dev.portmanager.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link PortAssignmentException} as Spring Boot's "APPLICATION FAILED TO START" block: its description,
 * and an action naming the property to change. Registered in {@code META-INF/spring.factories}. Stateless and
 * thread-safe.
 */
public final class PortManagerFailureAnalyzer extends AbstractFailureAnalyzer<PortAssignmentException> {

    /** Spring Boot calls this. */
    public PortManagerFailureAnalyzer() {
        // Stateless.
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PortAssignmentException cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}
