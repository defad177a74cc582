package dev.portmanager.spring.boot;

import dev.portmanager.Checks;
import dev.portmanager.NoFreePortException;
import dev.portmanager.StoreCorruptedException;
import dev.portmanager.StoreUnavailableException;

import java.util.ArrayList;
import java.util.Map;

/**
 * Turns what went wrong while taking ports from the registry into {@link PortAssignmentException}s that name the
 * property to change, in the words of Spring configuration. Store URIs are masked. Stateless and thread-safe.
 */
final class Failures {
    private static final String STORE = PortManagerProperties.PREFIX + ".store";
    private static final String RANGE = PortManagerProperties.PREFIX + ".range";
    private static final String PROJECT = PortManagerProperties.PREFIX + ".project";
    private static final String SERVICE = PortManagerProperties.PREFIX + ".service";
    private static final String PORTS = PortManagerProperties.PREFIX + ".ports.";
    private static final String OFF = "portmanager.enabled=false to start without the registry";

    private Failures() {
    }

    /**
     * The project: {@code portmanager.project}, else {@code spring.application.name}.
     *
     * @throws PortAssignmentException if neither is set, or the name is not valid
     */
    static String project(PortManagerProperties settings, String applicationName) {
        String property = settings.getProject() != null ? PROJECT : "spring.application.name";
        String project = settings.getProject() != null ? settings.getProject() : applicationName;
        if (project == null || project.isBlank()) {
            throw new PortAssignmentException("Port Manager needs a project name to take server.port from the "
                    + "registry, and neither portmanager.project nor spring.application.name is set",
                    "Set spring.application.name (or portmanager.project) to the application's name, such as "
                            + "spring.application.name=shop, or set " + OFF, PROJECT, null);
        }
        return checked(property, project);
    }

    /**
     * Checks the service and range names before the registry is opened.
     *
     * @throws PortAssignmentException naming the property whose value is not a valid name
     */
    static void checkNames(PortManagerProperties settings, Map<String, String> wanted) {
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            checked(serviceProperty(e.getKey()), e.getValue());
        }
        if (settings.getRange() != null) {
            checked(RANGE, settings.getRange());
        }
    }

    private static String checked(String property, String value) {
        try {
            return Checks.name(property, value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PortAssignmentException(e.getMessage(), "Change " + property + " to a name such as 'api'",
                    property, e);
        }
    }

    /** The property naming the service of a port property: {@code portmanager.service} for {@code server.port}. */
    static String serviceProperty(String portProperty) {
        return PortManagerEnvironmentPostProcessor.SERVER_PORT.equals(portProperty) ? SERVICE : PORTS + portProperty;
    }

    /** The registry could not be opened. */
    static PortAssignmentException store(RuntimeException e, String uri, String property) {
        String which = uri != null ? "the registry " + Checks.maskSecrets(uri) + " (" + STORE + ")"
                : "the default registry (" + STORE + " is not set)";
        return new PortAssignmentException("Port Manager could not open " + which + " to set " + property + ": "
                + Checks.maskSecrets(String.valueOf(e.getMessage())), storeAction(), STORE, e);
    }

    private static String storeAction() {
        return "Make sure the registry can be reached, or set " + STORE + " to one that can (json:<path> for a file, "
                + "jdbc:postgresql://<host>/<database> or jdbc:h2:<path> for a database), or set " + OFF;
    }

    /**
     * Taking the port of the {@code index}-th wanted property failed.
     *
     * @param store the store's masked name
     */
    static PortAssignmentException allocation(RuntimeException e, PortManagerProperties settings, String store,
                                              String project, Map<String, String> wanted, int index) {
        String property = new ArrayList<>(wanted.keySet()).get(index);
        String service = wanted.get(property);
        String what = property + " (" + project + "/" + service + ") from the registry " + store;
        String message = Checks.maskSecrets(String.valueOf(e.getMessage()));
        if (e instanceof StoreUnavailableException || e instanceof StoreCorruptedException) {
            return new PortAssignmentException("Port Manager could not take " + what + ": " + message,
                    storeAction(), STORE, e);
        }
        if (e instanceof NoFreePortException full) {
            String range = full.range().map(r -> "range '" + r + "'").orElse("the ports searched");
            return new PortAssignmentException("Port Manager found no free port for " + what + ": " + message,
                    "Release a port of " + range + " (portman list shows who holds them, portman release PORT "
                            + "frees one), or set " + RANGE + " to a range with room (portman ranges lists them), or "
                            + "set " + property + " to a port yourself", RANGE, e);
        }
        if (e instanceof IllegalArgumentException && settings.getRange() != null) {
            return new PortAssignmentException("Port Manager could not take " + what + " from " + RANGE + " '"
                    + settings.getRange() + "': " + message, "Set " + RANGE + " to one of the registry's ranges "
                    + "(portman ranges lists them), define it (portman define-range NAME START END), or remove "
                    + RANGE + " to let the registry choose", RANGE, e);
        }
        String serviceProperty = serviceProperty(property);
        return new PortAssignmentException("Port Manager could not take " + what + ": " + message,
                "Check " + serviceProperty + " and " + STORE + ", set " + property + " to a port yourself, or set "
                        + OFF, serviceProperty, e);
    }
}
