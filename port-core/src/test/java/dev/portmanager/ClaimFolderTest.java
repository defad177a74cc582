package dev.portmanager;

import dev.portmanager.testing.AnotherUser;
import dev.portmanager.testing.ClaimFolderFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The claim folder is the user's alone: made 0700, and refused when it is a link or when others can write in it;
 * {@code XDG_RUNTIME_DIR} is taken only when it is the user's alone. (port-junit's {@code FreePortsFolderTest} runs
 * whole JVMs on such folders.)
 */
class ClaimFolderTest extends ClaimFolderFixture {
    @Test
    void prepare_ofALinkToAFolderOfOurs_isRefused() throws IOException {
        Path elsewhere = Files.createDirectory(base.resolve("elsewhere"));
        Files.createSymbolicLink(folder, elsewhere);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> ClaimFolder.prepare(folder));
        assertEquals(refusal(folder, "it is a symbolic link to " + elsewhere + ", owned by '" + user + "'"),
                e.getMessage());
    }

    @Test
    void prepare_ofOurFolderThatOthersCanWrite_isRefused() throws IOException {
        Files.createDirectory(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> ClaimFolder.prepare(folder));
        assertEquals(refusal(folder, "other users can write in it (owner '" + user + "', mode rwxrwxrwx); if it holds "
                + "nothing you did not put there, chmod 700 " + folder + " makes it yours alone"), e.getMessage());
        assertEquals("rwxrwxrwx", mode(folder), "left as it was");
    }

    @Test
    void prepare_ofOurFolderOthersCanRead_makesItOurs() throws IOException {
        Files.createDirectory(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(folder, ClaimFolder.prepare(folder));
        assertEquals("rwx------", mode(folder));
    }

    @Test
    void locate_takesXdgRuntimeDir_onlyWhenItIsTheUsersAlone() throws Exception {
        Path tmp = base.resolve("portmanager-ana");
        assertEquals(tmp, ClaimFolder.locate(Map.of(), base.toString(), "ana"));
        Path runtime = Files.createDirectory(base.resolve("runtime"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        assertEquals(runtime.resolve("portmanager"),
                ClaimFolder.locate(Map.of("XDG_RUNTIME_DIR", runtime.toString()), base.toString(), "ana"));
        assertEquals(tmp, ClaimFolder.locate(Map.of("XDG_RUNTIME_DIR", "run/user/0"), base.toString(), "ana"),
                "a relative path");
        assertEquals(tmp, ClaimFolder.locate(Map.of("XDG_RUNTIME_DIR", base.toString()), base.toString(), "ana"),
                "a folder everyone can write in");
        assertEquals(base.resolve("portmanager-a_b"), ClaimFolder.locate(Map.of(), base.toString(), "a/b"));
    }

    @Test
    void locate_skipsAnXdgRuntimeDirOfAnotherUser() throws Exception {
        AnotherUser.assumeAvailable();
        Path theirs = base.resolve("theirs");
        AnotherUser.sh("mkdir -m 0700 " + theirs);
        assertEquals(base.resolve("portmanager-ana"),
                ClaimFolder.locate(Map.of("XDG_RUNTIME_DIR", theirs.toString()), base.toString(), "ana"));
    }
}
