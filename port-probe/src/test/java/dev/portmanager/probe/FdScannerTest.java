package dev.portmanager.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The descriptor walk and the owner cache, on a made-up /proc. */
class FdScannerTest {
    private static final String[] ARGV = {"server"};

    @TempDir
    Path dir;

    private String proc() throws IOException {
        new FakeProc(dir).process(300, "a", 1, ARGV, 0, 1001, 1002).process(400, "b", 1, ARGV, 0, 1002, 1003);
        Files.createDirectories(dir.resolve("sys"));
        Files.createDirectories(dir.resolve("500"));
        return dir.toString();
    }

    @Test
    void scan_findsTheFirstProcessHoldingEachInode_inPidOrder() throws IOException {
        InodeTable table = Listings.lookingFor(1001, 1002, 1003, 0);
        new FdScanner(proc()).scan(table);
        assertEquals(0, table.missing());
        assertEquals(300, table.pid(1001));
        assertEquals(300, table.pid(1002), "shared by 300 and 400: the lower pid is reported");
        assertEquals(400, table.pid(1003));
    }

    @Test
    void scan_byManyThreads_findsWhatOneThreadFinds() throws IOException {
        FakeProc proc = new FakeProc(dir);
        int last = 1000 + 150;
        for (int pid = 1000; pid <= last; pid++) {
            proc.process(pid, "p", 1, ARGV, 0, 50_000 + pid % 7, 60_000 + pid);
        }
        InodeTable parallel = new InodeTable(16);
        InodeTable alone = new InodeTable(16);
        long[] inodes = {50_000, 50_003, 50_006, 61_010, 60_000 + last, 99_999};
        for (long inode : inodes) {
            parallel.add(inode);
            alone.add(inode);
        }
        new FdScanner(dir.toString(), 4, 0).scan(parallel);
        new FdScanner(dir.toString(), 1, 0).scan(alone);
        for (long inode : inodes) {
            assertEquals(alone.pid(inode), parallel.pid(inode), "inode " + inode);
        }
        assertEquals(1001, parallel.pid(50_000), "shared by every seventh process: the lowest pid is reported");
        assertEquals(1010, parallel.pid(61_010));
        assertEquals(last, parallel.pid(60_000 + last));
        assertEquals(0, parallel.pid(99_999));
        assertEquals(1, parallel.missing());
    }

    @Test
    void scan_ofAnInodeNoVisibleProcessHolds_leavesItMissing() throws IOException {
        InodeTable table = Listings.lookingFor(9999);
        new FdScanner(proc()).scan(table);
        assertEquals(1, table.missing());
        assertEquals(0, table.pid(9999));
    }

    @Test
    void socketInode_readsOnlySocketLinks() throws IOException {
        proc();
        assertEquals(1001, FdScanner.socketInode(dir.resolve("300/fd/3")));
        assertEquals(-1, FdScanner.socketInode(dir.resolve("300/fd/0")), "an eventfd");
        assertEquals(-1, FdScanner.socketInode(dir.resolve("300/fd/1")), "a pipe");
        assertEquals(-1, FdScanner.socketInode(dir.resolve("300/fd/99")), "a descriptor closed meanwhile");
    }

    @Test
    void pid_acceptsOnlyProcessEntries() {
        assertEquals(4242, FdScanner.pid("4242"));
        assertEquals(-1, FdScanner.pid("self"));
        assertEquals(-1, FdScanner.pid(""));
        assertEquals(-1, FdScanner.pid("12345678901"));
    }

    @Test
    void cache_trustsARememberedHolderOnlyWhileItsDescriptorStillLinksToTheSocket() throws IOException {
        String proc = proc();
        OwnerCache cache = new OwnerCache(proc);
        InodeTable first = Listings.lookingFor(1003);
        new FdScanner(proc).scan(first);
        cache.remember(first, 0);

        InodeTable again = Listings.lookingFor(1003);
        cache.recall(again, false, 0);
        assertEquals(0, again.missing());
        assertEquals(400, again.pid(1003));

        Files.delete(dir.resolve("400/fd/4"));
        Files.createSymbolicLink(dir.resolve("400/fd/4"), Path.of("socket:[7777]"));
        InodeTable stale = Listings.lookingFor(1003);
        cache.recall(stale, false, 0);
        assertEquals(1, stale.missing(), "the descriptor now holds another socket: look again");
    }

    @Test
    void cache_remembersAnInodeWithoutVisibleHolder_forTheHotPathOnly_andForAWhile() throws IOException {
        String proc = proc();
        OwnerCache cache = new OwnerCache(proc);
        InodeTable first = Listings.lookingFor(9999);
        new FdScanner(proc).scan(first);
        cache.remember(first, 1_000);

        InodeTable hot = Listings.lookingFor(9999);
        cache.recall(hot, true, 2_000);
        assertEquals(0, hot.missing(), "the hot path does not walk every process again for it");

        InodeTable thorough = Listings.lookingFor(9999);
        cache.recall(thorough, false, 2_000);
        assertEquals(1, thorough.missing(), "a thorough read looks again");

        InodeTable later = Listings.lookingFor(9999);
        cache.recall(later, true, 1_000 + OwnerCache.INVISIBLE_NANOS);
        assertEquals(1, later.missing(), "after a while the hot path looks again too");
    }
}
