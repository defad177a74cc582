package dev.portmanager.probe;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What earlier scans learnt about socket owners, so the allocation hot path rarely walks every process's descriptors.
 * A remembered holder is trusted only after one {@code readlink} shows the same descriptor of the same process still
 * links to the same socket. An inode no process was seen holding (another user's process) is remembered as invisible
 * for a while, so the hot path does not rescan for it on every call. Thread-safe.
 */
final class OwnerCache {
    /** How long an inode found without a visible holder is trusted to stay so. */
    static final long INVISIBLE_NANOS = 30_000_000_000L;
    private static final int MAX_ENTRIES = 4096;

    private final String proc;
    private final ConcurrentHashMap<Long, Holder> holders = new ConcurrentHashMap<>();

    /** @param proc the proc file system's mount point */
    OwnerCache(String proc) {
        this.proc = proc;
    }

    /**
     * Marks in {@code table} every inode whose remembered holder still holds it, and, when {@code trustInvisible},
     * every inode recently found without a visible holder.
     */
    void recall(InodeTable table, boolean trustInvisible, long now) {
        for (int slot = 0; slot < table.capacity(); slot++) {
            long inode = table.inodeAt(slot);
            if (inode == 0) {
                continue;
            }
            Holder h = holders.get(inode);
            if (h == null) {
                continue;
            }
            if (h.pid > 0) {
                if (FdScanner.socketInode(Path.of(proc + "/" + h.pid + "/fd/" + h.fd)) == inode) {
                    table.hold(inode, h.pid, h.fd);
                }
            } else if (trustInvisible && now - h.seenAt < INVISIBLE_NANOS) {
                table.settle(inode);
            }
        }
    }

    /** Remembers what a scan of {@code table} found; call only after the scan has ended. */
    void remember(InodeTable table, long now) {
        if (holders.size() > MAX_ENTRIES) {
            holders.clear();
        }
        for (int slot = 0; slot < table.capacity(); slot++) {
            long inode = table.inodeAt(slot);
            if (inode == 0 || table.settledAt(slot)) {
                continue;
            }
            holders.put(inode, new Holder(table.pidAt(slot), table.fdAt(slot), now));
        }
    }

    /** A process and descriptor seen holding a socket; pid 0 when no visible process held it. */
    private static final class Holder {
        final long pid;
        final int fd;
        final long seenAt;

        Holder(long pid, int fd, long seenAt) {
            this.pid = pid;
            this.fd = fd;
            this.seenAt = seenAt;
        }
    }
}
