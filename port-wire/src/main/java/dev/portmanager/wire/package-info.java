/**
 * The one JSON form of Port Manager's values, shared by every face over the API: the {@code portman} CLI's
 * {@code --json} output is the body an HTTP server or an MCP tool answers with, never a copy each.
 *
 * <p>Each class turns one family of values into Jackson nodes with static methods: {@link RegistryJson} (allocations,
 * ranges, summaries, history, free ports, copies, environment exports), {@link MachineJson} (sockets, audits,
 * conflicts, port checks, planned bindings and compose files, terminations, monitoring events), {@link LaunchJson}
 * (launch reports and service status) and {@link ErrorJson} (a failure as {@code {"error": kind, "message": text}}).
 * Field names are snake_case, as in {@code ports.json}; enum values are lower case; times are ISO-8601 instants; an
 * absent optional value is JSON {@code null}. Every method returns a new node the caller may change, and is
 * thread-safe.
 */
package dev.portmanager.wire;
