package dev.portmanager.server;

import dev.portmanager.PortManagerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The server's bearer token: a random 256-bit value in base64url, kept owner-only in a file, compared in constant
 * time, and never printed: {@link #toString()} shows where it is kept, not what it is. Immutable, thread-safe.
 */
final class ServerToken {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] value;
    private final Path file;

    private ServerToken(String value, Path file) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
        this.file = file;
    }

    /** A token given as it is. */
    static ServerToken of(String value) {
        return new ServerToken(value, null);
    }

    /** {@code ~/.portmanager/server.token}. */
    static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".portmanager", "server.token");
    }

    /**
     * Reads the token file; creates it (0600, its folder 0700) when it does not exist and {@code mayCreate}.
     *
     * @param file      the file
     * @param mayCreate whether a missing file may be created (a server on loopback)
     * @param address   the address the server binds, for the message when it may not
     * @throws IllegalStateException if the file does not exist and may not be created
     * @throws PortManagerException  if the file cannot be read or written, is a link, is not the owner's alone,
     *                               or holds no token
     */
    static ServerToken load(Path file, boolean mayCreate, String address) {
        Path f = file.toAbsolutePath();
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            if (!mayCreate) {
                throw new IllegalStateException("refusing to listen on " + address + " without a token: " + f
                        + " does not exist, and a server reachable from other machines does not make up a token "
                        + "nobody has seen; start it once on 127.0.0.1 to create one, or give --token-file");
            }
            create(f);
        }
        return new ServerToken(read(f), f);
    }

    /** Whether the Authorization header carries this token, compared in constant time. */
    boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(value, given);
    }

    /** Where the token is kept, or null when it was given. */
    Path file() {
        return file;
    }

    @Override
    public String toString() {
        return file == null ? "token (given)" : "token in " + file;
    }

    private static void create(Path f) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
            Path dir = f.getParent();
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            // CREATE_NEW never follows a link planted at the path, and the file is 0600 from its first byte.
            Files.write(Files.createFile(f, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), (token + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        } catch (FileAlreadyExistsException e) {
            // Another server created it first: read theirs.
        } catch (UnsupportedOperationException e) {
            throw new PortManagerException("cannot create " + f + " owner-only on this file system; give the token "
                    + "with --token-file pointing at a file only you can read");
        } catch (IOException e) {
            throw new PortManagerException("cannot create the server token " + f + ": " + e.getMessage()
                    + "; check that its folder is yours and writable", e);
        }
    }

    private static String read(Path f) {
        try {
            if (Files.isSymbolicLink(f) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new PortManagerException("the server token " + f + " is not a regular file (a link or a "
                        + "folder); remove it and start again to create one");
            }
            PosixFileAttributeView view = Files.getFileAttributeView(f, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (view != null) {
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                perms.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                if (!perms.isEmpty()) {
                    throw new PortManagerException("the server token " + f + " can be read by others ("
                            + PosixFilePermissions.toString(view.readAttributes().permissions())
                            + "); run chmod 600 " + f + ", or remove it to create a new one");
                }
            }
            String token = Files.readString(f, StandardCharsets.UTF_8).strip();
            if (token.length() < 32) {
                throw new PortManagerException("the server token " + f + " holds " + token.length() + " characters, "
                        + "too few to be a token; remove it and start again to create one");
            }
            return token;
        } catch (IOException e) {
            throw new PortManagerException("cannot read the server token " + f + ": " + e.getMessage(), e);
        }
    }
}
