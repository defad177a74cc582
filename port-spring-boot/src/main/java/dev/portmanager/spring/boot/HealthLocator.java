package dev.portmanager.spring.boot;

import java.net.URI;
import java.util.Optional;

/** Where the application answers health checks, once its web servers' ports are known. Thread-safe. */
interface HealthLocator {
    /**
     * The health endpoint's URL on this machine.
     *
     * @param serverPort     the port of the application's web server, null while unknown
     * @param managementPort the port of a separate management server, null while unknown or when there is none
     * @return empty while it cannot be known, or when health is not served over HTTP
     */
    Optional<URI> locate(Integer serverPort, Integer managementPort);
}
