package dev.portmanager.cli;

import dev.portmanager.mcp.McpPortServer;
import picocli.CommandLine.Command;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/** {@code portman mcp}: the registry as MCP tools on stdin and stdout, for AI agents. */
@Command(name = "mcp", description = {"Serve the registry as MCP (Model Context Protocol) tools on stdin and stdout, "
        + "for AI agents: get-port, allocate-port, list-ports, audit-ports, port-summary, release-port, update-port, "
        + "check-port, find-conflicts, env.",
        "Register it with an MCP client as the command: portman mcp (with --store URI to name the registry). It "
        + "serves until stdin ends; stdout carries the protocol alone, log lines go to stderr."})
final class McpCommand extends PortmanCommand {
    @Override
    public Integer call() {
        // stdout carries the protocol alone: anything else printed there (by any library) goes to stderr instead.
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        PrintStream stdout = System.out;
        System.out.flush();
        System.setOut(System.err);
        try {
            McpPortServer.builder(manager()).probe(root.probe()).build().serve(System.in, protocol);
        } finally {
            System.setOut(stdout);
        }
        return 0;
    }
}
