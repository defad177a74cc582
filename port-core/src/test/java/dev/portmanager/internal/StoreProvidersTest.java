package dev.portmanager.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where the default store is. */
class StoreProvidersTest {
    @Test
    void defaultStoreUri_prefersTheEnvironment_thenTheAtlasFileUpward_thenHome(@TempDir Path dir) throws IOException {
        Path repo = dir.resolve("repo");
        Path deep = Files.createDirectories(repo.resolve("a/b/c"));
        Path home = Files.createDirectories(dir.resolve("home"));
        assertEquals("memory:x", StoreProviders.defaultUri(Map.of("PORTMANAGER_STORE", "memory:x"), deep, home));
        assertEquals("json:" + home.resolve(".portmanager/ports.json"), StoreProviders.defaultUri(Map.of(), deep, home));
        Path atlas = repo.resolve("design/worktrees/ports.json");
        Files.createDirectories(atlas.getParent());
        Files.writeString(atlas, "{}");
        assertEquals("json:" + atlas, StoreProviders.defaultUri(Map.of(), deep, home));
    }
}
