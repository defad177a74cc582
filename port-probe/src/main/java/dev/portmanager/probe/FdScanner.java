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
 * (another user's, without privileges) or that exits during the scan is passed over, leaving its sockets' owners
 * unknown. The walk stops as soon as every inode looked for is found.
 *
 * <p>One {@code readlink} per descriptor is the cost: about 2 us in the kernel, so a host with 100,000 descriptors
 * takes a few hundred milliseconds. On a host with at least {@value #PARALLEL_FROM} processes the walk is shared by up
 * to four threads (the caller and short-lived helpers), since the kernel serves {@code /proc} lookups in parallel.
 * Thread-safe: every scan has its own state.
 */
final class FdScanner {
    /** Fewer processes than this are walked by the calling thread alone. */
    static final int PARALLEL_FROM = 32;
    private static final String SOCKET_PREFIX = "socket:[";
    private static final int CHUNK = 4;
    /** What {@link #socketInode} returns for a link this user may not read. */
    static final long DENIED = -2;

    private final String proc;
    private final int threads;

    /** @param proc the proc file system's mount point, {@code /proc} except in tests */
    FdScanner(String proc) {
        this(proc, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** @param threads how many threads may walk at once, the caller included */
    FdScanner(String proc, int threads) {
        this.proc = proc;
        this.threads = Math.max(1, threads);
    }

    /**
     * Records in {@code table} a holder of each inode it looks for: the process with the lowest pid among those
     * found holding it (for a socket a forking server shares, usually the parent).
     */
    void scan(InodeTable table) {
        if (table.missing() == 0) {
            return;
        }
        long[] pids = pids();
        if (threads < 2 || pids.length < PARALLEL_FROM) {
            for (long pid : pids) {
                if (scanProcess(table, pid, null) && table.missing() == 0) {
                    return;
                }
            }
            return;
        }
        new Walk(table, pids).run(threads);
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

    /**
     * Reads one process's descriptors; hits go to {@code table} directly, or to {@code walk} in a parallel walk.
     *
     * @return whether an inode was found in this process
     */
    private boolean scanProcess(InodeTable table, long pid, Walk.Worker walk) {
        String dirName = proc + "/" + pid + "/fd";
        String[] fds = new File(dirName).list();
        if (fds == null || fds.length == 0) {
            return false;
        }
        // resolve() parses only the short descriptor name; Path.of(whole path) would parse every link's full path.
        Path dir = Path.of(dirName);
        boolean found = false;
        for (String fd : fds) {
            long inode = socketInode(dir.resolve(fd));
            if (inode == DENIED) {
                // Access to /proc/<pid>/fd links is granted per process: one refusal means all would be refused.
                return found;
            }
            if (inode <= 0) {
                continue;
            }
            if (walk != null) {
                found |= walk.hit(inode, pid, Integer.parseInt(fd));
            } else if (table.hold(inode, pid, Integer.parseInt(fd))) {
                found = true;
                if (table.missing() == 0) {
                    return true;
                }
            }
        }
        return found;
    }

    /**
     * The socket inode a descriptor link names; -1 if it is not a socket or is gone, {@link #DENIED} if this user may
     * not read the process's links.
     */
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
     * One walk shared by several threads: each takes the next few pids, keeps its hits to itself, and stops once every
     * inode has been found by someone. The table is only read while they run and written by the caller afterwards.
     */
    private final class Walk {
        private final InodeTable table;
        private final long[] pids;
        private final AtomicInteger next = new AtomicInteger();
        private final boolean[] found;
        private int remaining;
        private volatile boolean done;

        Walk(InodeTable table, long[] pids) {
            this.table = table;
            this.pids = pids;
            this.found = new boolean[table.capacity()];
            this.remaining = table.missing();
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

        void run(int threadCount) {
            Worker[] workers = new Worker[threadCount];
            Thread[] helpers = new Thread[threadCount - 1];
            for (int i = 0; i < threadCount; i++) {
                workers[i] = new Worker();
            }
            for (int i = 0; i < helpers.length; i++) {
                helpers[i] = Helpers.start(workers[i + 1], "port-probe fd walk " + (i + 1));
            }
            workers[0].run();
            for (Thread helper : helpers) {
                Helpers.join(helper);
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

        /** One thread's share of the walk. */
        final class Worker implements Runnable {
            long[] hits = new long[48];
            int count;
            RuntimeException failure;

            @Override
            public void run() {
                try {
                    while (!done) {
                        int from = next.getAndAdd(CHUNK);
                        if (from >= pids.length) {
                            return;
                        }
                        for (int i = from; i < Math.min(from + CHUNK, pids.length) && !done; i++) {
                            scanProcess(table, pids[i], this);
                        }
                    }
                } catch (RuntimeException e) {
                    failure = e;
                    done = true;
                }
            }

            boolean hit(long inode, long pid, int fd) {
                int slot = table.wantedSlot(inode);
                if (slot < 0) {
                    return false;
                }
                if (count + 3 > hits.length) {
                    hits = Arrays.copyOf(hits, hits.length * 2);
                }
                hits[count++] = inode;
                hits[count++] = pid;
                hits[count++] = fd;
                found(slot);
                return true;
            }
        }
    }
}
