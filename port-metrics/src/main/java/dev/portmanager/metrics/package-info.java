/**
 * Port Manager's metrics for Micrometer: {@link dev.portmanager.metrics.PortMetrics}, a {@code MeterBinder} any
 * application registers (Spring Boot Actuator binds such beans by itself), so that range utilization, live
 * allocations, events, allocation latency and the monitor's last audit reach Prometheus or any other backend.
 * Port-core knows nothing of Micrometer; this module is the only one that does.
 */
package dev.portmanager.metrics;
