package dev.portmanager.probe;

import dev.portmanager.ListeningSocket;
import dev.portmanager.ProcessInfo;
import dev.portmanager.Protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Linux socket table: {@code /proc/net/{tcp,tcp6,udp,udp6}} for the sockets, the links under
 * {@code /proc/<pid>/fd} for their owners, {@code /proc/<pid>/*} for what the owners are. Runs no command. Owners
 * learnt by one call are checked with a single {@code readlink} by the next ({@link OwnerCache}), so repeated calls
 * walk the descriptors of every process only for sockets they have not seen. Thread-safe.
 */
final class LinuxSocketTable implements SocketTable {
    private final String proc;
    private final String passwd;
    private final FdScanner scanner;
    private final OwnerCache cache;
    private final LinuxProcesses processes;

    /** @param proc the proc file system's mount point; @param passwd the passwd file */
    LinuxSocketTable(String proc, String passwd) {
        this.proc = proc;
        this.passwd = passwd;
        this.scanner = new FdScanner(proc);
        this.cache = new OwnerCache(proc);
        this.processes = new LinuxProcesses(proc, passwd);
    }

    @Override
    public List<ListeningSocket> sockets(int first, int last, Protocol protocol, boolean thorough) {
        List<NetEntry> entries = NetTables.read(proc, first, last, protocol);
        if (entries.isEmpty()) {
            return List.of();
        }
        InodeTable inodes = new InodeTable(entries.size());
        for (NetEntry e : entries) {
            inodes.add(e.inode);
        }
        long now = System.nanoTime();
        cache.recall(inodes, !thorough, now);
        if (inodes.missing() > 0) {
            scanner.scan(inodes);
            cache.remember(inodes, now);
        }
        return owned(entries, inodes, new ProcFile(4096));
    }

    private List<ListeningSocket> owned(List<NetEntry> entries, InodeTable inodes, ProcFile file) {
        Map<Long, ProcessInfo> described = new HashMap<>();
        Users users = new Users(passwd);
        Collections.sort(entries);
        List<ListeningSocket> sockets = new ArrayList<>(entries.size());
        for (NetEntry e : entries) {
            long pid = e.inode == 0 ? 0 : inodes.pid(e.inode);
            ProcessInfo owner = null;
            if (pid > 0) {
                owner = described.get(pid);
                if (owner == null && !described.containsKey(pid)) {
                    owner = processes.describe(pid, file, users);
                    described.put(pid, owner);
                }
            }
            sockets.add(e.toSocket(owner));
        }
        return sockets;
    }

    @Override
    public ProcessReader processes() {
        return processes;
    }

    @Override
    public String toString() {
        return "Linux " + proc + "/net";
    }
}
