package dev.portmanager.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A made-up {@code /proc} in a temporary folder: the recorded {@code /proc/net} tables, a boot time, a clock rate
 * and processes whose descriptors link to sockets, so the Linux table can be tested end to end with exact owners.
 */
final class FakeProc {
    static final long BOOT_SECONDS = 1_700_000_000L;

    private final Path root;

    FakeProc(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("net"));
        Files.createDirectories(root.resolve("self"));
        Files.writeString(root.resolve("stat"), "cpu  1 2 3 4\nintr 5\nbtime " + BOOT_SECONDS + "\nprocesses 9\n");
        ByteBuffer auxv = ByteBuffer.allocate(48).order(ByteOrder.nativeOrder());
        auxv.putLong(6).putLong(4096).putLong(17).putLong(100).putLong(0).putLong(0);
        Files.write(root.resolve("self/auxv"), auxv.array());
        Files.writeString(root.resolve("self/status"), "Name:\tjava\nUid:\t0\t0\t0\t0\n");
    }

    /** Copies the recorded tables into {@code net/}. */
    FakeProc withRecordedNet() throws IOException {
        for (String table : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
            Files.write(root.resolve("net/" + table), Recorded.bytes("linux/proc-net-" + table + ".txt"));
        }
        return this;
    }

    /** Adds a process: its stat (name, start tick), command line, effective uid and socket descriptors. */
    FakeProc process(long pid, String name, long startTicks, String[] argv, long uid, long... socketInodes)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("stat"), pid + " (" + name + ") S 1 " + pid + " " + pid
                + " 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 " + startTicks + " 1000 200 18446744073709551615\n");
        Files.write(dir.resolve("cmdline"), (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("status"), "Name:\t" + name + "\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t"
                + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\nGid:\t0\t0\t0\t0\n");
        Path fd = Files.createDirectories(dir.resolve("fd"));
        Files.createSymbolicLink(fd.resolve("0"), Path.of("anon_inode:[eventfd]"));
        Files.createSymbolicLink(fd.resolve("1"), Path.of("pipe:[4242]"));
        int n = 3;
        for (long inode : socketInodes) {
            Files.createSymbolicLink(fd.resolve(Integer.toString(n++)), Path.of("socket:[" + inode + "]"));
        }
        return this;
    }

    String path() {
        return root.toString();
    }
}
