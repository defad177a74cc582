/**
 * Small runnable programs, one per use of the library: {@link dev.portmanager.examples.HttpApp} gets its port at
 * startup and serves HTTP on it; {@link dev.portmanager.examples.JdbcTool} registers a host's services in a shared
 * PostgreSQL registry. The {@code portman} CLI is a product of its own, in the {@code port-cli} module.
 */
package dev.portmanager.examples;
