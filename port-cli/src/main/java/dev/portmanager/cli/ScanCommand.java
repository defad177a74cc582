package dev.portmanager.cli;

import dev.portmanager.ListeningSocket;
import dev.portmanager.ProcessInfo;
import dev.portmanager.wire.MachineJson;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code portman scan}: every listening socket with its process. */
@Command(name = "scan", description = "List every listening TCP socket and bound UDP socket on this machine, with its "
        + "process (read from the OS socket table, not from the registry).")
final class ScanCommand extends PortmanCommand {
    @Override
    public Integer call() {
        List<ListeningSocket> sockets = root.probe().listeners();
        if (out().json()) {
            out().print(MachineJson.sockets(sockets));
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (ListeningSocket s : sockets) {
            ProcessInfo p = s.process().orElse(null);
            rows.add(List.of(String.valueOf(s.port()), Views.lower(s.protocol()), s.address(), s.state(),
                    p == null ? "-" : String.valueOf(p.pid()), p == null ? "(not visible)" : p.name(),
                    p == null ? "-" : p.user()));
        }
        out().table(List.of("PORT", "PROTO", "ADDRESS", "STATE", "PID", "COMMAND", "USER"), rows);
        return 0;
    }
}
