/**
 * What the operating system is really doing with ports: {@link dev.portmanager.probe.SystemProbe} lists the
 * listening sockets with their owning processes (Linux {@code /proc}, macOS {@code lsof}, Windows {@code netstat})
 * and checks ports with core's bind rules; {@link dev.portmanager.HealthCheck} (in core) checks a service with a TCP
 * connect or an HTTP GET; {@link dev.portmanager.probe.ProcessControl} ends the process holding a port, with the
 * safety rules listed on it.
 *
 * <p>Everything public here is thread-safe; value types (such as
 * {@link dev.portmanager.probe.Termination}) are immutable. Failures are {@link dev.portmanager.PortManagerException}s:
 * {@link dev.portmanager.probe.ProbeUnavailableException} when the socket table cannot be read,
 * {@link dev.portmanager.probe.TerminationRefusedException} when a termination is refused.
 */
package dev.portmanager.probe;
