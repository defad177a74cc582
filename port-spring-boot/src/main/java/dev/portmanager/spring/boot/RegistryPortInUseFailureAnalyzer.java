package dev.portmanager.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * When the web server cannot bind a port the registry gave the application (another process took it while the
 * application was down), says so and how to find and clear it, ahead of Spring Boot's generic "port already in use".
 * A port the registry did not give is left to Spring Boot. Registered in {@code META-INF/spring.factories}; Spring
 * Boot passes the failed application's environment. Thread-safe.
 */
public final class RegistryPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<PortInUseException>
        implements Ordered {
    private final Environment environment;

    /**
     * Spring Boot calls this.
     *
     * @param environment the failed application's environment; null when the failure came before it had one
     */
    public RegistryPortInUseFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PortInUseException cause) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return null;
        }
        for (PortAssignment a : RegistryPortsPropertySource.find(configurable).assignments()) {
            if (a.port() == cause.getPort()) {
                return new FailureAnalysis("Port " + a.port() + ", which the registry gives " + a.project() + "/"
                        + a.service() + " for " + a.property() + ", is held by another process",
                        "Find the process with portman audit (it reports the conflict on port " + a.port() + "), then "
                                + "stop it (portman kill " + a.port() + ") or move " + a.project() + "/" + a.service()
                                + " to a free port (portman reassign " + a.project() + " " + a.service() + "), and "
                                + "start the application again", cause);
            }
        }
        return null;
    }
}
