package dev.portmanager.launch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The services' log files: a service's output can carry its secrets (its variables, a password in a URL), so the
 * folders the launcher creates are {@code 0700}, the files {@code 0600} whatever the umask, and a log that is a
 * symbolic link or not a regular file (planted by someone else) is refused rather than written through. On a file
 * system without POSIX permissions the file system's defaults apply. Stateless and thread-safe.
 */
final class LogFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private LogFiles() {
    }

    /**
     * Appends the text to the log, creating it (and its missing folders) owner-only.
     *
     * @throws IOException if the log is a link or not a regular file, or cannot be written
     */
    static void append(Path log, String text) throws IOException {
        Path dir = log.toAbsolutePath().getParent();
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } else {
            Files.createDirectories(dir);
        }
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel channel = POSIX
                ? FileChannel.open(log, options, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")))
                : FileChannel.open(log, options)) {
            if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(log + " is not a regular file; remove it, or give another --logs folder");
            }
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            if (Files.isSymbolicLink(log)) {
                throw new IOException(log + " is a symbolic link, which the launcher never writes through; remove "
                        + "it, or give another --logs folder", e);
            }
            throw e;
        }
    }
}
