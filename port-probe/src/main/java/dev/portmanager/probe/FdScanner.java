package dev.portmanager.probe;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Finds the processes holding socket inodes by reading the links under {@code /proc/<pid>/fd}, as {@code ss -p}
 * does: each descriptor of a socket links to {@code socket:[<inode>]}. A process whose descriptors cannot be read
 * (another user's, without privileges) or that exits during the scan is passed over, leaving its sockets' owners
 * unknown. Stateless and thread-safe.
 */
final class FdScanner {
    private static final String SOCKET_PREFIX = "socket:[";

    private final String proc;

    /** @param proc the proc file system's mount point, {@code /proc} except in tests */
    FdScanner(String proc) {
        this.proc = proc;
    }

    /**
     * Walks the processes in ascending pid order and records in {@code table} the first holder of each inode it
     * looks for (so of a socket a forking server shares, the parent), stopping as soon as none is missing.
     */
    void scan(InodeTable table) {
        if (table.missing() == 0) {
            return;
        }
        String[] names = new File(proc).list();
        if (names == null) {
            return;
        }
        // /proc lists processes by ascending pid already; sorting keeps "the lowest pid wins" true on any file system.
        long[] pids = new long[names.length];
        int count = 0;
        for (String name : names) {
            long pid = pid(name);
            if (pid > 0) {
                pids[count++] = pid;
            }
        }
        Arrays.sort(pids, 0, count);
        for (int i = 0; i < count; i++) {
            if (scanProcess(table, pids[i], proc + "/" + pids[i] + "/fd") && table.missing() == 0) {
                return;
            }
        }
    }

    /** @return whether an inode was found in this process */
    private static boolean scanProcess(InodeTable table, long pid, String dirName) {
        String[] fds = new File(dirName).list();
        if (fds == null || fds.length == 0) {
            return false;
        }
        // resolve() parses only the short descriptor name; Path.of(whole path) would parse every link's full path.
        Path dir = Path.of(dirName);
        boolean found = false;
        for (String fd : fds) {
            long inode = socketInode(dir.resolve(fd));
            if (inode > 0 && table.hold(inode, pid, Integer.parseInt(fd))) {
                found = true;
                if (table.missing() == 0) {
                    return true;
                }
            }
        }
        return found;
    }

    /** The socket inode a descriptor link names; -1 if it is not a socket or cannot be read. */
    static long socketInode(Path link) {
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return -1;
        }
        if (!target.startsWith(SOCKET_PREFIX) || target.charAt(target.length() - 1) != ']') {
            return -1;
        }
        long inode = 0;
        for (int i = SOCKET_PREFIX.length(); i < target.length() - 1; i++) {
            char c = target.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            inode = inode * 10 + (c - '0');
        }
        return inode;
    }

    /** The pid a {@code /proc} entry names, or -1 for entries that are not processes. */
    static long pid(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        long pid = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
    }
}
