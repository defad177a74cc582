package dev.portmanager.junit;

import dev.portmanager.testing.AnotherUser;
import dev.portmanager.testing.ClaimFolderFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code FreePorts} in whole JVMs on the default claim folder: made 0700, kept in a private {@code XDG_RUNTIME_DIR},
 * and refused (with setpriv) when another real user made it first; a JVM on such a folder claims nothing and writes
 * nothing. (port-core's {@code ClaimFolderTest} checks the folder rules one by one.)
 */
class FreePortsFolderTest extends ClaimFolderFixture {
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
}
