package dev.portmanager.server;

import dev.portmanager.PortManagerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token file: created owner-only on a first start, read as it is afterwards, refused when others could see it. */
class ServerTokenTest {
    @TempDir
    Path dir;

    @Test
    void load_whenTheFileIsMissing_createsA256BitTokenOwnerOnly() throws Exception {
        Path file = dir.resolve(".portmanager").resolve("server.token");

        ServerToken token = ServerToken.load(file, true, "127.0.0.1");

        String value = Files.readString(file).strip();
        assertTrue(value.matches("[A-Za-z0-9_-]{43}"), value);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(token.matches("Bearer " + value));
        assertFalse(token.matches("Bearer " + value.substring(1)));
        assertFalse(token.matches(null));
        assertEquals("token in " + file, token.toString());
    }

    @Test
    void load_whenTheFileExists_readsTheSameToken() {
        Path file = dir.resolve("server.token");
        ServerToken.load(file, true, "127.0.0.1");
        String first = readQuietly(file);

        ServerToken again = ServerToken.load(file, false, "0.0.0.0");

        assertEquals(first, readQuietly(file));
        assertTrue(again.matches("Bearer " + first));
    }

    @Test
    void load_whenOthersCanReadTheFile_refuses() throws Exception {
        Path file = dir.resolve("server.token");
        Files.writeString(file, "a".repeat(43));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        PortManagerException e = assertThrows(PortManagerException.class,
                () -> ServerToken.load(file, true, "127.0.0.1"));

        assertEquals("the server token " + file + " can be read by others (rw-r--r--); run chmod 600 " + file
                + ", or remove it to create a new one", e.getMessage());
    }

    @Test
    void load_whenTheFileIsALink_refusesAndDoesNotFollowIt() throws Exception {
        Path target = dir.resolve("elsewhere");
        Files.writeString(target, "b".repeat(43));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("server.token"), target);

        PortManagerException e = assertThrows(PortManagerException.class,
                () -> ServerToken.load(link, true, "127.0.0.1"));

        assertEquals("the server token " + link + " is not a regular file (a link or a folder); remove it and start "
                + "again to create one", e.getMessage());
    }

    @Test
    void load_whenADanglingLinkIsPlanted_neverWritesThroughIt() throws Exception {
        Path target = dir.resolve("planted-target");
        Path link = Files.createSymbolicLink(dir.resolve("server.token"), target);

        assertThrows(PortManagerException.class, () -> ServerToken.load(link, true, "127.0.0.1"));

        assertFalse(Files.exists(target));
    }

    @Test
    void load_whenTheFileHoldsTooLittle_refuses() throws Exception {
        Path file = dir.resolve("server.token");
        Files.writeString(file, "short\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        PortManagerException e = assertThrows(PortManagerException.class,
                () -> ServerToken.load(file, true, "127.0.0.1"));

        assertEquals("the server token " + file + " holds 5 characters, too few to be a token; remove it and start "
                + "again to create one", e.getMessage());
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
