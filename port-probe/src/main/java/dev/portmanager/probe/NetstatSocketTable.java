package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The socket table on Windows: {@code netstat -ano} for sockets and owning pids ({@link NetstatParser}); a thorough
 * read adds image names from {@code tasklist /FO CSV /NH} ({@link TasklistParser}) and the user, command and start
 * time from {@link ProcessHandle}. The allocation hot path runs netstat alone and names owners by pid only. Pid 0
 * (the idle process) is an unknown owner; pid 4 is the kernel ({@code System}), which holds HTTP.sys ports.
 * Thread-safe.
 */
final class NetstatSocketTable implements SocketTable {
    private static final String HINT = "netstat.exe and tasklist.exe ship with Windows in %SystemRoot%\\System32; "
            + "check that it is on the PATH";

    private final Commands commands;
    private final HandleProcesses processes = new HandleProcesses();

    NetstatSocketTable(Commands commands) {
        this.commands = commands;
    }

    @Override
    public List<ListeningSocket> sockets(int first, int last, Protocol protocol, boolean thorough) {
        String output = commands.run(List.of("netstat", "-ano"), consoleCharset(), List.of(0), HINT);
        List<NetEntry> entries = new ArrayList<>();
        NetstatParser.parse(output, first, last, protocol, entries);
        Map<Long, String> names = thorough && !entries.isEmpty()
                ? TasklistParser.parse(commands.run(List.of("tasklist", "/FO", "CSV", "/NH"), consoleCharset(),
                List.of(0), HINT))
                : Map.of();
        Map<Long, ProcessInfo> owners = new HashMap<>();
        for (NetEntry e : entries) {
            if (e.pid > 0) {
                owners.put(e.pid, new ProcessInfo(e.pid, names.getOrDefault(e.pid, ""), "", "", Optional.empty()));
            }
        }
        return processes.own(entries, owners, thorough);
    }

    /** Console programs write in the OEM code page when piped; the JDK's native encoding is the closest it names. */
    private static Charset consoleCharset() {
        String name = System.getProperty("native.encoding", "");
        return !name.isEmpty() && Charset.isSupported(name) ? Charset.forName(name) : Charset.defaultCharset();
    }

    @Override
    public ProcessReader processes() {
        return processes;
    }

    @Override
    public String toString() {
        return "netstat";
    }
}
