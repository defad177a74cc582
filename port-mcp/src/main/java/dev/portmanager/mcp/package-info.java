/**
 * The registry as Model Context Protocol tools over stdio, for AI agents that start servers: {@link
 * dev.portmanager.mcp.McpPortServer} serves {@code get-port}, {@code allocate-port}, {@code list-ports},
 * {@code audit-ports}, {@code port-summary}, {@code release-port}, {@code update-port}, {@code check-port},
 * {@code find-conflicts} and {@code env} over any pair of streams ({@code portman mcp} serves them on its stdin and
 * stdout). Built on the official MCP Java SDK (its core and Jackson 2 binding); the tools' results are the JSON forms
 * of {@code dev.portmanager.wire}. Everything but {@code McpPortServer} is package-private.
 */
package dev.portmanager.mcp;
