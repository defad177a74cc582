package dev.portmanager.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** What the claim folder tests share: a temporary folder shared as {@code /tmp} is, modes, the refusal message. */
public final class ClaimFolders {
    private ClaimFolders() {
    }

    /** Makes a test's temporary folder a shared one, as {@code /tmp} is (everyone may create entries in it). */
    public static Path shareAsTmp(Path tempDir) throws IOException {
        Path base = tempDir.toRealPath();
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(base, "unix:mode", 01777);
        return base;
    }

    /** The permissions of the file itself, such as {@code rwx------}. */
    public static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    /** The message refusing a claim folder that is not the user's alone. */
    public static String refusal(Path folder, String problem) {
        return "the claim folder " + folder + " is not yours alone: " + problem + "; another user could choose your "
                + "ports, see your claims or plant links in it. Remove it after checking what it holds (rm -r "
                + folder + "), or name a claim registry of your own with -Dportmanager.claims=json:<path>, or set "
                + "XDG_RUNTIME_DIR to a folder of yours";
    }
}
