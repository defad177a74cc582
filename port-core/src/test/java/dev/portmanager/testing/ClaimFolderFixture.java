package dev.portmanager.testing;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What the claim folder tests share: a temporary folder shared as {@code /tmp} is (everyone may create entries in
 * it), the user's claim folder in it (not made yet), modes, and the refusal message.
 */
public abstract class ClaimFolderFixture {
    /** The shared temporary folder, by its real path. */
    @TempDir
    protected Path base;
    /** The user running the test. */
    protected String user;
    /** {@code <base>/portmanager-<user>}, where the claim folder goes. */
    protected Path folder;

    @BeforeEach
    void shareAsTmp() throws IOException {
        base = base.toRealPath();
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(base, "unix:mode", 01777);
        user = System.getProperty("user.name");
        folder = base.resolve("portmanager-" + user);
    }

    /** The permissions of the file itself, such as {@code rwx------}. */
    protected static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    /** The message refusing a claim folder that is not the user's alone. */
    protected static String refusal(Path folder, String problem) {
        return "the claim folder " + folder + " is not yours alone: " + problem + "; another user could choose your "
                + "ports, see your claims or plant links in it. Remove it after checking what it holds (rm -r "
                + folder + "), or name a claim registry of your own with -Dportmanager.claims=json:<path>, or set "
                + "XDG_RUNTIME_DIR to a folder of yours";
    }
}
