package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.ProcessInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Describes processes through {@link ProcessHandle}, where there is no {@code /proc} (macOS, Windows): the JDK asks
 * the kernel ({@code sysctl} on macOS, the process token on Windows). Fields the JDK cannot get for another user's
 * process are left empty. Thread-safe.
 */
final class HandleProcesses implements ProcessReader {
    @Override
    public Optional<ProcessInfo> describe(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return Optional.empty();
        }
        ProcessHandle.Info info = handle.get().info();
        String command = info.command().orElse("");
        return Optional.of(new ProcessInfo(pid, baseName(command), info.commandLine().orElse(command),
                info.user().orElse(""), info.startInstant()));
    }

    /**
     * A process as a socket table named it (pid, name, user), completed with what the JDK knows: the full command
     * line and the start time; the table's name and user are kept where the JDK has none.
     */
    ProcessInfo complete(ProcessInfo listed) {
        Optional<ProcessInfo> known = describe(listed.pid());
        if (known.isEmpty()) {
            return listed;
        }
        ProcessInfo k = known.get();
        return new ProcessInfo(listed.pid(), listed.name().isEmpty() ? k.name() : listed.name(), k.commandLine(),
                listed.user().isEmpty() ? k.user() : listed.user(), k.startedAt());
    }

    /**
     * The sockets with their owners as a command listed them ({@code listed}, by pid), each owner completed once by
     * {@link #complete} when {@code thorough}; sorted. An entry whose pid the command did not name has no owner.
     */
    List<ListeningSocket> own(List<NetEntry> entries, Map<Long, ProcessInfo> listed, boolean thorough) {
        Map<Long, ProcessInfo> owners = new HashMap<>();
        Collections.sort(entries);
        List<ListeningSocket> sockets = new ArrayList<>(entries.size());
        for (NetEntry e : entries) {
            ProcessInfo owner = owners.get(e.pid);
            if (owner == null && listed.containsKey(e.pid)) {
                owner = thorough ? complete(listed.get(e.pid)) : listed.get(e.pid);
                owners.put(e.pid, owner);
            }
            sockets.add(e.toSocket(owner));
        }
        return sockets;
    }

    @Override
    public String currentUser() {
        return ProcessHandle.current().info().user().orElse(System.getProperty("user.name", ""));
    }

    @Override
    public boolean isRunning(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return handle.isPresent() && handle.get().isAlive();
    }

    /** {@code /usr/bin/python3} and {@code C:\Python\python.exe} to {@code python3} and {@code python.exe}. */
    static String baseName(String command) {
        int slash = Math.max(command.lastIndexOf('/'), command.lastIndexOf('\\'));
        return command.substring(slash + 1);
    }
}
