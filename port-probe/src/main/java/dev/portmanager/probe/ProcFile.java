package dev.portmanager.probe;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads whole {@code /proc} files into one reused buffer. {@code /proc} files report a size of zero, so they are read
 * until end of file. Plain {@link FileInputStream}, which the JVM has loaded before {@code main}, keeps a cold scan
 * cheap. Not thread-safe: one per scan.
 */
final class ProcFile {
    private byte[] buffer;
    private int length;

    ProcFile(int initialSize) {
        this.buffer = new byte[initialSize];
    }

    /**
     * Reads a file. A file that is missing or unreadable (a process that just exited, another user's process, a
     * kernel without IPv6) reads as absent rather than failing the scan.
     *
     * @return whether the file could be read; {@link #length()} is 0 when it could not
     */
    boolean read(String path) {
        length = 0;
        try (FileInputStream in = new FileInputStream(path)) {
            while (true) {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    return true;
                }
                length += n;
            }
        } catch (IOException e) {
            length = 0;
            return false;
        }
    }

    /**
     * Reads a file in chunks of {@code chunk} bytes, showing each to {@code enough}, until its end or until
     * {@code enough} says the bytes read so far suffice. A {@code /proc} file is generated as it is read, so stopping
     * early saves the kernel the rest.
     *
     * @return whether the file could be read
     */
    boolean read(String path, int chunk, Enough enough) {
        length = 0;
        try (FileInputStream in = new FileInputStream(path)) {
            while (true) {
                if (length + chunk > buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + chunk));
                }
                int n = in.read(buffer, length, chunk);
                if (n < 0) {
                    enough.enough(buffer, length, true);
                    return true;
                }
                length += n;
                if (enough.enough(buffer, length, false)) {
                    return true;
                }
            }
        } catch (IOException e) {
            length = 0;
            return false;
        }
    }

    /** Looks at the bytes as they are read, and says when they suffice. */
    interface Enough {
        /**
         * @param b     the bytes read so far, valid up to {@code length}
         * @param atEnd whether the file has ended (the last call)
         * @return whether to stop reading
         */
        boolean enough(byte[] b, int length, boolean atEnd);
    }

    /** The bytes read; only the first {@link #length()} are valid. */
    byte[] bytes() {
        return buffer;
    }

    /** How many bytes the last {@link #read} returned. */
    int length() {
        return length;
    }
}
