package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The socket table on macOS and other Unix systems without {@code /proc}: {@code lsof -nP -F} restricted to the
 * port span, parsed by {@link LsofParser}. lsof names each socket's process and user; a thorough read adds the
 * command line and start time from {@link ProcessHandle}. Without root, lsof on macOS sees only this user's
 * processes, so other users' sockets are missing rather than listed with an unknown owner. Thread-safe.
 */
final class LsofSocketTable implements SocketTable {
    private static final String HINT = "lsof ships with macOS in /usr/sbin; elsewhere install it (apt-get install "
            + "lsof, pkg install lsof) or put it on the PATH";

    private final Commands commands;
    private final HandleProcesses processes = new HandleProcesses();

    LsofSocketTable(Commands commands) {
        this.commands = commands;
    }

    @Override
    public List<ListeningSocket> sockets(int first, int last, Protocol protocol, boolean thorough) {
        String output = commands.run(command(first, last, protocol), StandardCharsets.UTF_8, List.of(0, 1), HINT);
        List<NetEntry> entries = new ArrayList<>();
        Map<Long, ProcessInfo> owners = new HashMap<>();
        LsofParser.parse(output, first, last, protocol, entries, owners);
        return processes.own(entries, owners, thorough);
    }

    /**
     * {@code lsof -nP +c0 -Ts -FpcuLftPnT} with {@code -iTCP:first-last -sTCP:LISTEN} for TCP, {@code -iUDP:first-last}
     * for UDP, and both {@code -i} without {@code -s} for {@code BOTH}: a TCP state filter drops every UDP file, so
     * there the parser keeps only the listening TCP sockets.
     */
    static List<String> command(int first, int last, Protocol protocol) {
        String span = first == 1 && last == 65535 ? "" : first == last ? ":" + first : ":" + first + "-" + last;
        List<String> command = new ArrayList<>(List.of(lsof(), "-nP", "+c0", "-Ts", "-FpcuLftPnT"));
        if (protocol != Protocol.UDP) {
            command.add("-iTCP" + span);
        }
        if (protocol == Protocol.TCP) {
            command.add("-sTCP:LISTEN");
        }
        if (protocol != Protocol.TCP) {
            command.add("-iUDP" + span);
        }
        return command;
    }

    private static String lsof() {
        return new File("/usr/sbin/lsof").canExecute() ? "/usr/sbin/lsof" : "lsof";
    }

    @Override
    public ProcessReader processes() {
        return processes;
    }

    @Override
    public String toString() {
        return "lsof";
    }
}
