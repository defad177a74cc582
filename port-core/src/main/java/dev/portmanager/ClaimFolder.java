package dev.portmanager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The user's private folder for the claim registry: {@code $XDG_RUNTIME_DIR/portmanager} where that variable names a
 * folder of the user's alone, else {@code <java.io.tmpdir>/portmanager-<user>}. A folder under the shared temporary
 * folder can be made first by another user, who would then choose the ranges, see the claims, or plant a link for
 * the lock file; so the folder is created {@code 0700}, and an existing one is used only if it is a real folder (not
 * a link), owned by this user and writable by no one else. {@link ClaimRegistry} is its public face. Stateless and
 * thread-safe.
 */
final class ClaimFolder {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimFolder.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private ClaimFolder() {
    }

    /**
     * Where the claim folder is, with nothing created or checked yet.
     *
     * @param env    the environment variables ({@code XDG_RUNTIME_DIR})
     * @param tmpdir {@code java.io.tmpdir}
     * @param user   {@code user.name}
     */
    static Path locate(Map<String, String> env, String tmpdir, String user) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            Path dir = Path.of(runtime.strip());
            Optional<String> problem = dir.isAbsolute() ? problem(dir) : Optional.of("it is not an absolute path");
            if (problem.isEmpty()) {
                return dir.resolve("portmanager");
            }
            LOG.debug("XDG_RUNTIME_DIR {} is not used for the claim registry: {}", dir, problem.get());
        }
        return Path.of(tmpdir, "portmanager-" + user.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /**
     * Makes the folder ({@code 0700}) if it does not exist, or checks the one that does: it must be a folder, not a
     * link, owned by this user, and writable by no one else (read and search rights of others are taken away).
     *
     * @return the folder
     * @throws StoreUnavailableException if the folder cannot be made, or is not this user's alone; the message names
     *                                   the folder, its owner and mode, and what to do
     */
    static Path prepare(Path folder) {
        try {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            // A umask may have taken rights of the owner's away; this folder is this user's either way.
            Files.setPosixFilePermissions(folder, OWNER_ONLY);
            return folder;
        } catch (FileAlreadyExistsException e) {
            // Made earlier, by this user or by someone else: checked below.
        } catch (UnsupportedOperationException e) {
            return folderWithoutPosix(folder);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the claim folder " + folder + ": " + e
                    + "; name a claim registry of your own with -D" + ClaimRegistry.STORE_PROPERTY + "=json:<path>", e);
        }
        Optional<String> problem = problem(folder);
        if (problem.isPresent()) {
            throw new StoreUnavailableException("the claim folder " + folder + " is not yours alone: " + problem.get()
                    + "; another user could choose your ports, see your claims or plant links in it. Remove it after "
                    + "checking what it holds (rm -r " + folder + "), or name a claim registry of your own with -D"
                    + ClaimRegistry.STORE_PROPERTY + "=json:<path>, or set XDG_RUNTIME_DIR to a folder of yours");
        }
        try {
            Files.setPosixFilePermissions(folder, OWNER_ONLY);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot make the claim folder " + folder + " yours alone (chmod 700): "
                    + e, e);
        }
        return folder;
    }

    /** Why the folder is not this user's alone, or empty if it is. */
    private static Optional<String> problem(Path folder) {
        try {
            PosixFileAttributes a = Files.getFileAttributeView(folder, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes();
            String mode = PosixFilePermissions.toString(a.permissions());
            if (a.isSymbolicLink()) {
                return Optional.of("it is a symbolic link to " + Files.readSymbolicLink(folder) + ", owned by '"
                        + a.owner().getName() + "'");
            }
            if (!a.isDirectory()) {
                return Optional.of("it is not a folder (owner '" + a.owner().getName() + "', mode " + mode + ")");
            }
            UserPrincipal me = currentUser();
            if (!a.owner().equals(me)) {
                return Optional.of("it belongs to user '" + a.owner().getName() + "' (mode " + mode + "), not to '"
                        + me.getName() + "' who runs this JVM");
            }
            if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                return Optional.of("other users can write in it (owner '" + a.owner().getName() + "', mode " + mode
                        + "); if it holds nothing you did not put there, chmod 700 " + folder
                        + " makes it yours alone");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("its owner and mode cannot be read (" + e + ")");
        }
    }

    /**
     * The user this JVM runs as: the owner of {@code /proc/self} on Linux (the effective user, whatever
     * {@code user.name} says), else the user named {@code user.name}.
     */
    private static UserPrincipal currentUser() throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.isDirectory(self)) {
            return Files.getOwner(self);
        }
        return FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }

    /** Windows: the per-user temporary folder is the user's already; only a missing folder is made. */
    private static Path folderWithoutPosix(Path folder) {
        try {
            Files.createDirectories(folder);
            return folder;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the claim folder " + folder + ": " + e, e);
        }
    }
}
