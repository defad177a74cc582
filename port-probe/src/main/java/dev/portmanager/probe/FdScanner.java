package dev.portmanager.probe;

import java.io.File;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds the processes holding socket inodes by reading the links under {@code /proc/<pid>/fd}, as {@code ss -p}
 * does: each descriptor of a socket links to {@code socket:[<inode>]}. A process whose descriptors cannot be read
 * (another user's, without privileges) or that exits during the walk is passed over, leaving its sockets' owners
 * unknown. The walk stops as soon as every inode looked for is found.
 *
 * <p>One {@code readlink} per descriptor is the cost: about 2 us in the kernel, so a host with 100,000 descriptors
 * takes a few hundred milliseconds. The caller walks alone at first; a walk still running after
 * {@value #HELP_AFTER_MILLIS} ms is shared with up to three helper threads (the kernel serves {@code /proc} lookups in
 * parallel), so a small host pays nothing for threads and a large one is walked in a fraction of the time.
 * Thread-safe: every scan has its own state.
 */
final class FdScanner {
    /** How long the caller walks alone before helpers join. */
    static final long HELP_AFTER_MILLIS = 2;
    /** What {@link #socketInode} returns for a link this user may not read. */
    static final long DENIED = -2;
    private static final String SOCKET_PREFIX = "socket:[";
    private static final int CHUNK = 4;

    private final String proc;
    private final int threads;
    private final long helpAfterNanos;

    /** @param proc the proc file system's mount point, {@code /proc} except in tests */
    FdScanner(String proc) {
        this(proc, Math.min(4, Runtime.getRuntime().availableProcessors()), HELP_AFTER_MILLIS * 1_000_000);
    }

    /**
     * @param threads        how many threads may walk at once, the caller included
     * @param helpAfterNanos how long the caller walks alone before helpers join
     */
    FdScanner(String proc, int threads, long helpAfterNanos) {
        this.proc = proc;
        this.threads = Math.max(1, threads);
        this.helpAfterNanos = helpAfterNanos;
    }

    /**
     * Records in {@code table} a holder of each inode it looks for: the process with the lowest pid among those found
     * holding it (for a socket a forking server shares, usually the parent).
     */
    void scan(InodeTable table) {
        if (table.missing() > 0) {
            new Walk(table, pids()).run();
        }
    }

    /** The pids under {@code /proc}, ascending (as {@code /proc} lists them; sorted so any file system agrees). */
    private long[] pids() {
        String[] names = new File(proc).list();
        if (names == null) {
            return new long[0];
        }
        long[] pids = new long[names.length];
        int count = 0;
        for (String name : names) {
            long pid = pid(name);
            if (pid > 0) {
                pids[count++] = pid;
            }
        }
        for (int i = 1; i < count; i++) {
            if (pids[i - 1] > pids[i]) {
                Arrays.sort(pids, 0, count);
                break;
            }
        }
        return Arrays.copyOf(pids, count);
    }

    /** The socket inode a descriptor link names; -1 if it is not a socket or is gone, {@link #DENIED} if forbidden. */
    static long socketInode(Path link) {
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (AccessDeniedException e) {
            return DENIED;
        } catch (IOException e) {
            return -1;
        }
        if (!target.startsWith(SOCKET_PREFIX) || target.charAt(target.length() - 1) != ']') {
            return -1;
        }
        long inode = Digits.decimal(target, SOCKET_PREFIX.length(), target.length() - 1);
        return inode > 0 ? inode : -1;
    }

    /** The pid a {@code /proc} entry names, or -1 for entries that are not processes. */
    static long pid(String name) {
        return name.length() > 10 ? -1 : Digits.decimal(name, 0, name.length());
    }

    /**
     * One walk: workers take the next few pids in turn, keep their hits to themselves, and stop once every inode has
     * been found by one of them. The table is only read while they run, and written by the caller after they end.
     */
    private final class Walk {
        private final InodeTable table;
        private final long[] pids;
        private final AtomicInteger next = new AtomicInteger();
        private final boolean[] found;
        private final Worker[] workers = new Worker[threads];
        private final Thread[] helpers = new Thread[threads - 1];
        private final long helpAt = System.nanoTime() + helpAfterNanos;
        private int remaining;
        private volatile boolean done;

        Walk(InodeTable table, long[] pids) {
            this.table = table;
            this.pids = pids;
            this.found = new boolean[table.capacity()];
            this.remaining = table.missing();
            for (int i = 0; i < threads; i++) {
                workers[i] = new Worker(i == 0);
            }
        }

        void run() {
            workers[0].run();
            for (Thread helper : helpers) {
                if (helper != null) {
                    Helpers.join(helper);
                }
            }
            for (Worker w : workers) {
                if (w.failure != null) {
                    throw w.failure;
                }
                for (int i = 0; i < w.count; i += 3) {
                    table.offer(w.hits[i], w.hits[i + 1], (int) w.hits[i + 2]);
                }
            }
        }

        /** Counts an inode found for the first time; ends the walk when none is missing. Hits are rare: a lock will do. */
        synchronized void found(int slot) {
            if (!found[slot]) {
                found[slot] = true;
                if (--remaining == 0) {
                    done = true;
                }
            }
        }

        /** Called by the caller's worker between chunks: starts the helpers once the walk has run long enough. */
        void callHelpers() {
            if (helpers.length == 0 || helpers[0] != null || System.nanoTime() - helpAt < 0
                    || pids.length - next.get() < CHUNK * threads) {
                return;
            }
            for (int i = 0; i < helpers.length; i++) {
                helpers[i] = Helpers.start(workers[i + 1], "port-probe fd walk " + (i + 1));
            }
        }

        /** One thread's share of the walk. */
        final class Worker implements Runnable {
            private final boolean caller;
            long[] hits = new long[48];
            int count;
            RuntimeException failure;

            Worker(boolean caller) {
                this.caller = caller;
            }

            @Override
            public void run() {
                try {
                    while (!done) {
                        if (caller) {
                            callHelpers();
                        }
                        int from = next.getAndAdd(CHUNK);
                        if (from >= pids.length) {
                            return;
                        }
                        for (int i = from; i < Math.min(from + CHUNK, pids.length) && !done; i++) {
                            walkProcess(pids[i]);
                        }
                    }
                } catch (RuntimeException e) {
                    failure = e;
                    done = true;
                }
            }

            /** Reads one process's descriptor links. */
            private void walkProcess(long pid) {
                String dirName = proc + "/" + pid + "/fd";
                String[] fds = new File(dirName).list();
                if (fds == null || fds.length == 0) {
                    return;
                }
                // resolve() parses only the short descriptor name; Path.of(whole path) would parse every full path.
                Path dir = Path.of(dirName);
                for (String fd : fds) {
                    long inode = socketInode(dir.resolve(fd));
                    if (inode == DENIED) {
                        return; // access to the links is granted per process: one refusal means all are refused
                    }
                    int slot = inode > 0 ? table.wantedSlot(inode) : -1;
                    if (slot >= 0) {
                        hit(slot, inode, pid, Integer.parseInt(fd));
                        if (done) {
                            return;
                        }
                    }
                }
            }

            private void hit(int slot, long inode, long pid, int fd) {
                if (count + 3 > hits.length) {
                    hits = Arrays.copyOf(hits, hits.length * 2);
                }
                hits[count++] = inode;
                hits[count++] = pid;
                hits[count++] = fd;
                found(slot);
            }
        }
    }
}
