package dev.portmanager.junit;

import dev.portmanager.StoreUnavailableException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim folder is the user's alone: made 0700, and refused when another real user made it first (with setpriv),
 * when it is a link, or when others can write in it. A JVM on such a folder claims nothing and writes nothing.
 */
class ClaimFolderTest {
    @TempDir
    Path base;
    private String user;
    private Path folder;

    @BeforeEach
    void setUp() throws IOException {
        base = base.toRealPath();
        // A shared temporary folder, as /tmp is: everyone may create entries in it.
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(base, "unix:mode", 01777);
        user = System.getProperty("user.name");
        folder = base.resolve("portmanager-" + user);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static String refusal(Path folder, String problem) {
        return "the claim folder " + folder + " is not yours alone: " + problem + "; another user could choose your "
                + "ports, see your claims or plant links in it. Remove it after checking what it holds (rm -r "
                + folder + "), or name a claim registry of your own with -Dportmanager.claims=json:<path>, or set "
                + "XDG_RUNTIME_DIR to a folder of yours";
    }

    /** {@code ClaimMain 1} in a JVM of its own with this test's temporary folder; returns its exit and output. */
    private String[] claimInAnotherJvm(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + base, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), ClaimMain.class.getName(), "1")
                .redirectErrorStream(true);
        pb.environment().remove("XDG_RUNTIME_DIR");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the claiming JVM ended");
        return new String[] {String.valueOf(p.exitValue()), out.get(10, TimeUnit.SECONDS)};
    }

    @Test
    @Timeout(120)
    void claim_inAFolderAnotherUserMadeFirst_isRefused_andUsesOrWritesNothingOfTheirs() throws Exception {
        AnotherUser.assumeAvailable();
        Path victim = Files.writeString(base.resolve("victim.txt"), "precious\n");
        String planted = "{\"ranges\": {\"evil\": {\"start\": 9000, \"end\": 9000}}, \"allocations\": []}\n";
        AnotherUser.sh("mkdir -m 0777 " + folder + " && printf '%s' '" + planted + "' > " + folder + "/claims.json"
                + " && ln -s " + victim + " " + folder + "/claims.json.lock");
        String nobody = Files.getOwner(folder).getName();

        String[] run = claimInAnotherJvm(Map.of());
        assertEquals("1", run[0], run[1]);
        assertTrue(run[1].contains("dev.portmanager.StoreUnavailableException: " + refusal(folder, "it belongs to "
                + "user '" + nobody + "' (mode rwxrwxrwx), not to '" + user + "' who runs this JVM")), run[1]);
        assertEquals("precious\n", Files.readString(victim), "the file the planted lock link names is untouched");
        assertEquals(planted, Files.readString(folder.resolve("claims.json")));
    }

    @Test
    @Timeout(120)
    void claim_inAFreshTemporaryFolder_makesTheFolderTheUsersAlone() throws Exception {
        String[] run = claimInAnotherJvm(Map.of());
        assertEquals("0", run[0], run[1]);
        assertTrue(run[1].startsWith("port "), run[1]);
        assertEquals("rwx------", mode(folder));
        assertTrue(Files.isRegularFile(folder.resolve("claims.json")));
    }

    @Test
    @Timeout(120)
    void claim_withAPrivateXdgRuntimeDir_keepsTheRegistryThere() throws Exception {
        Path runtime = Files.createDirectory(base.resolve("runtime"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String[] run = claimInAnotherJvm(Map.of("XDG_RUNTIME_DIR", runtime.toString()));
        assertEquals("0", run[0], run[1]);
        assertTrue(Files.isRegularFile(runtime.resolve("portmanager/claims.json")));
        assertEquals("rwx------", mode(runtime.resolve("portmanager")));
        assertTrue(Files.notExists(folder), "nothing under the shared temporary folder");
    }

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
