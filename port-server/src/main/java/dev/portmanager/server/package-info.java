/**
 * The registry as a local HTTP service: {@link dev.portmanager.server.PortServer} serves a JSON API over a
 * {@link dev.portmanager.PortManager} (the bodies are port-wire's forms, the same documents {@code portman --json}
 * prints), a dashboard at {@code /}, server-sent events at {@code /events}, Prometheus metrics at {@code /metrics} and
 * its OpenAPI document at {@code /openapi.json}. Everything but {@code PortServer} is package-private.
 */
package dev.portmanager.server;
