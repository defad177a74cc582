package dev.portmanager.store.json;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code LockHolder <lockfile>}: takes the exclusive lock, says {@code locked}, and holds it until killed. */
public final class LockHolder {
    private LockHolder() {
    }

    /** Holds the lock. */
    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.lock();
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "@holder\n").getBytes(StandardCharsets.US_ASCII)));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
