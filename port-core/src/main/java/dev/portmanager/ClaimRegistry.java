package dev.portmanager;

import java.nio.file.Path;

/**
 * Where the machine's claim registry is: the one store every JVM of the user claims free ports from (JUnit's
 * {@code FreePorts} and {@code @FreePort}, the Maven plugin's {@code reserve} goal), so that a test, a build and
 * another build never hold the same port. Opening it needs the JSON store ({@code port-store-json}) on the class
 * path.
 *
 * <p>The registry is {@code claims.json} in a folder of the user's alone: {@code $XDG_RUNTIME_DIR/portmanager} where
 * {@code XDG_RUNTIME_DIR} names a folder of the user's alone (systemd sessions), else
 * {@code <java.io.tmpdir>/portmanager-<user>}. The folder is made {@code 0700}; one that another user made first, a
 * link, or one others can write in is refused. The system property {@value #STORE_PROPERTY} names another store URI.
 * Stateless and thread-safe.
 */
public final class ClaimRegistry {
    /** The system property that names the claim registry's store URI, such as {@code json:/tmp/claims.json}. */
    public static final String STORE_PROPERTY = "portmanager.claims";

    private ClaimRegistry() {
    }

    /**
     * The claim registry's store URI: {@value #STORE_PROPERTY} if set, else {@link #defaultFile()}, whose folder is
     * made (or checked) here.
     *
     * @throws StoreUnavailableException if the default folder is not the user's alone (another user's, a link, or
     *                                   writable by others) or cannot be made; the message names the folder, its
     *                                   owner and mode, and what to do
     */
    public static String storeUri() {
        String uri = System.getProperty(STORE_PROPERTY);
        if (uri != null && !uri.isBlank()) {
            return uri.strip();
        }
        Path file = defaultFile();
        ClaimFolder.prepare(file.getParent());
        return "json:" + file;
    }

    /**
     * The default claim registry file, {@code claims.json} in {@code $XDG_RUNTIME_DIR/portmanager} when
     * {@code XDG_RUNTIME_DIR} is a folder of the user's alone, else in {@code <java.io.tmpdir>/portmanager-<user>}.
     * Nothing is created or checked; never throws.
     */
    public static Path defaultFile() {
        return ClaimFolder.locate(System.getenv(), System.getProperty("java.io.tmpdir"),
                System.getProperty("user.name", "user")).resolve("claims.json");
    }
}
