package dev.portmanager.store.json;

import dev.portmanager.StoreUnavailableException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How the store makes and opens the files of a registry folder. A registry holds secrets (service variables such as
 * passwords), and a cloned repository can plant links beside it, so: new folders are {@code 0700} and new files
 * {@code 0600} whatever the umask; no file is ever opened through a symbolic link; and a file beside the registry
 * (lock, history, backup) that is a link or not a regular file is refused with a message naming it.
 *
 * <p>On a file system without POSIX permissions (Windows), files and folders get the file system's defaults (on NTFS,
 * the access list inherited from the folder, which in a user's profile is already theirs alone); the link checks
 * still apply. Stateless and thread-safe.
 */
final class PrivateFiles {
    /** {@code rw-------}: every file the store creates. */
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** {@code rwx------}: every folder the store creates. */
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates the folder and its missing parents, each {@code 0700}; existing ones are left as they are. */
    static void createFolders(Path dir) throws IOException {
        if (posix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Opens a file without following a link at its name; a file the options create is {@code 0600}. */
    static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> set = new HashSet<>(List.of(options));
        set.add(LinkOption.NOFOLLOW_LINKS);
        return posix(file) ? FileChannel.open(file, set, PosixFilePermissions.asFileAttribute(FILE))
                : FileChannel.open(file, set);
    }

    /** The permissions of the file itself (not of a link's target), or null if it is absent or has none. */
    static Set<PosixFilePermission> permissions(Path file) throws IOException {
        if (!posix(file)) {
            return null;
        }
        try {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Refuses a file beside the registry that is a symbolic link or anything but a regular file; an absent one is
     * fine.
     *
     * @param role what the store keeps there, for the message: "lock file", "history", "backup"
     * @throws StoreUnavailableException naming the file, what it is, and what to do
     */
    static void requireRegularOrAbsent(Path file, String role) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new StoreUnavailableException("could not check " + file + ": " + RegistryFile.describe(e), e);
        }
        if (attrs.isRegularFile()) {
            return;
        }
        String where = ", where the registry's " + role + " belongs; ";
        if (attrs.isSymbolicLink()) {
            throw new StoreUnavailableException(file + " is a symbolic link to " + linkTarget(file) + where
                    + "Port Manager never writes through a link there, since it could point at any of your files: "
                    + "remove the link (rm " + file + ") and try again");
        }
        throw new StoreUnavailableException(file + " is " + (attrs.isDirectory() ? "a folder" : "a special file")
                + where + "move it away and try again");
    }

    /**
     * The registry file's real path: symbolic links in it (the file itself, or a folder on the way) resolved, so that
     * every path reaching one file locks, writes and renames the same file, and a link stays a link. The part of the
     * path that does not exist yet is kept as given.
     *
     * @throws StoreUnavailableException if a link on the way points at nothing
     */
    static Path realPath(Path file) {
        Path existing = file;
        Deque<Path> missing = new ArrayDeque<>();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return file;
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException e) {
            if (existing.equals(file) && Files.isSymbolicLink(file)) {
                Path target = file.resolveSibling(linkTarget(file)).normalize();
                throw new StoreUnavailableException(file + " is a symbolic link to " + target + ", which does not "
                        + "exist; Port Manager does not create a registry through a link: create it there (echo '{}' > "
                        + target + ") or remove the link, and open the store again", e);
            }
            throw new StoreUnavailableException("a symbolic link in " + existing + " points at nothing ("
                    + RegistryFile.describe(e) + "); create what it points to or remove the link, and open the store "
                    + "again", e);
        } catch (IOException e) {
            throw new StoreUnavailableException("could not resolve the links in " + existing + ": "
                    + RegistryFile.describe(e), e);
        }
        for (Path name : missing) {
            real = real.resolve(name.toString());
        }
        return real;
    }

    private static String linkTarget(Path link) {
        try {
            return String.valueOf(Files.readSymbolicLink(link));
        } catch (IOException | UnsupportedOperationException e) {
            return "an unreadable target";
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
