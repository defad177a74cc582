/**
 * The Spring Boot starter: {@code server.port} (and any other port property mapped with {@code portmanager.ports.*})
 * from the registry before the context starts, the process recorded once the web server is up, and with Actuator an
 * endpoint and a health indicator. Adding the dependency is enough; {@code portmanager.enabled=false} turns it off.
 * Only {@link dev.portmanager.spring.boot.PortManagerProperties}, {@link dev.portmanager.spring.boot.PortAssignment},
 * {@link dev.portmanager.spring.boot.RegistryPorts} and {@link dev.portmanager.spring.boot.PortAssignmentException}
 * are meant to be used by applications; the rest is wiring Spring Boot finds by itself.
 */
package dev.portmanager.spring.boot;
