package dev.portmanager.probe;

/**
 * The socket inodes one scan looks for, each with the first process found holding it: an open-addressing table on
 * primitive longs, so matching a hundred thousand descriptors boxes nothing. Inode 0 (a socket the kernel holds) is
 * never looked for. Not thread-safe: one per scan.
 */
final class InodeTable {
    private static final byte WANTED = 1;
    private static final byte HELD = 2;
    private static final byte SETTLED = 3;

    private final long[] inodes;
    private final long[] pids;
    private final int[] fds;
    private final byte[] states;
    private final int mask;
    private int size;
    private int missing;

    /** A table sized for about {@code expected} inodes; it holds at most that many times two. */
    InodeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected * 4 - 1)) << 1;
        inodes = new long[capacity];
        pids = new long[capacity];
        fds = new int[capacity];
        states = new byte[capacity];
        mask = capacity - 1;
    }

    /** Starts looking for an inode; inode 0 and inodes already in the table are ignored. */
    void add(long inode) {
        if (inode == 0 || size >= inodes.length / 2) {
            return;
        }
        int slot = slot(inode);
        if (inodes[slot] == 0) {
            inodes[slot] = inode;
            states[slot] = WANTED;
            size++;
            missing++;
        }
    }

    /**
     * Records that process {@code pid} holds the inode on descriptor {@code fd}.
     *
     * @return whether the inode was still looked for; the first holder found wins
     */
    boolean hold(long inode, long pid, int fd) {
        int slot = slot(inode);
        if (inodes[slot] != inode || states[slot] != WANTED) {
            return false;
        }
        pids[slot] = pid;
        fds[slot] = fd;
        states[slot] = HELD;
        missing--;
        return true;
    }

    /**
     * Records a holder found by a parallel walk: the first one for an inode still looked for, or a holder with a lower
     * pid than the one recorded, so the result does not depend on which thread came first.
     */
    void offer(long inode, long pid, int fd) {
        int slot = slot(inode);
        if (inodes[slot] != inode) {
            return;
        }
        if (states[slot] == WANTED) {
            hold(inode, pid, fd);
        } else if (states[slot] == HELD && pid < pids[slot]) {
            pids[slot] = pid;
            fds[slot] = fd;
        }
    }

    /** The slot of an inode still looked for, or -1; safe from several threads while nothing writes the table. */
    int wantedSlot(long inode) {
        int slot = slot(inode);
        return inodes[slot] == inode && states[slot] == WANTED ? slot : -1;
    }

    /** Stops looking for an inode whose owner is known to be invisible; its pid stays 0. */
    void settle(long inode) {
        int slot = slot(inode);
        if (inodes[slot] == inode && states[slot] == WANTED) {
            states[slot] = SETTLED;
            missing--;
        }
    }

    /** The pid holding the inode, 0 when none was found. */
    long pid(long inode) {
        int slot = slot(inode);
        return inodes[slot] == inode ? pids[slot] : 0;
    }

    /** How many inodes are still looked for. */
    int missing() {
        return missing;
    }

    /** Slots for iteration: {@code 0..capacity()-1}. */
    int capacity() {
        return inodes.length;
    }

    /** The inode in a slot, 0 for an empty slot. */
    long inodeAt(int slot) {
        return inodes[slot];
    }

    long pidAt(int slot) {
        return pids[slot];
    }

    int fdAt(int slot) {
        return fds[slot];
    }

    /** Whether the slot's inode is still looked for (not held, not settled). */
    boolean wantedAt(int slot) {
        return states[slot] == WANTED;
    }

    /** Whether the slot's inode was settled as invisible without a scan. */
    boolean settledAt(int slot) {
        return states[slot] == SETTLED;
    }

    private int slot(long inode) {
        int slot = (int) ((inode * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        while (inodes[slot] != 0 && inodes[slot] != inode) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }
}
