package dev.portmanager;

import dev.portmanager.testing.GitRepo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.portmanager.testing.GitRepo.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Worktrees read from git's files, against real repositories made with git, and the default store they give. */
class WorktreeTest {
    private static final String ATLAS = "design/worktrees/ports.json";

    @TempDir
    Path dir;
    private Path home;

    @BeforeEach
    void setUp() throws Exception {
        GitRepo.assumeGit();
        dir = dir.toRealPath();
        home = Files.createDirectories(dir.resolve("home"));
    }

    private String defaultUri(Path workingDir) {
        return PortManager.defaultStoreUri(Map.of(), workingDir, home);
    }

    private String homeUri() {
        return "json:" + home.resolve(".portmanager/ports.json");
    }

    @Test
    void defaultUri_inEachOfThreeLinkedWorktrees_isTheMainWorktreesRegistry() throws Exception {
        Path main = GitRepo.init(dir.resolve("shop"), Map.of(ATLAS, "{}\n", "src/App.java", "class App {}\n"));
        String shared = "json:" + main.resolve(ATLAS);
        assertEquals(shared, defaultUri(main));
        assertEquals(shared, defaultUri(main.resolve("src")));
        for (String name : List.of("review-GH-42", "feature-a", "feature-b")) {
            Path linked = GitRepo.addWorktree(main, dir.resolve(name));
            assertTrue(Files.isRegularFile(linked.resolve(ATLAS)), "each worktree has its own checked-out copy");
            assertEquals(shared, defaultUri(linked), name);
            assertEquals(shared, defaultUri(linked.resolve("src")), name);
        }
    }

    @Test
    void defaultUri_whenTheMainWorktreeHasNoRegistry_isTheHomeRegistry_notTheLinkedWorktreesCopy() throws Exception {
        Path main = GitRepo.init(dir.resolve("shop"), Map.of("README.md", "shop\n"));
        Path linked = GitRepo.addWorktree(main, dir.resolve("feature-a"));
        Files.createDirectories(linked.resolve(ATLAS).getParent());
        Files.writeString(linked.resolve(ATLAS), "{}\n");
        git(linked, "add", "-A");
        git(linked, "commit", "-q", "-m", "a registry on the branch only");

        assertEquals(homeUri(), defaultUri(linked));
        assertEquals(homeUri(), defaultUri(main));
    }

    @Test
    void defaultUri_inAWorktreeOfABareRepository_isTheHomeRegistry() throws Exception {
        Path source = GitRepo.init(dir.resolve("source"), Map.of(ATLAS, "{}\n"));
        git(dir, "clone", "-q", "--bare", source.toString(), "shop.git");
        Path linked = GitRepo.addWorktree(dir.resolve("shop.git"), dir.resolve("feature-a"));

        Worktree w = Worktree.containing(linked).orElseThrow();
        assertTrue(w.isLinked());
        assertTrue(w.mainRoot().isEmpty(), w.toString());
        assertEquals(homeUri(), defaultUri(linked));
    }

    @Test
    void containing_findsWhatGitFinds_inMainAndLinkedWorktrees() throws Exception {
        Path main = GitRepo.init(dir.resolve("shop"), Map.of("src/App.java", "class App {}\n"));
        Path linked = GitRepo.addWorktree(main, dir.resolve("review-GH-42"));
        for (Path folder : List.of(main, main.resolve("src"), linked, linked.resolve("src"))) {
            Worktree w = Worktree.containing(folder).orElseThrow();
            assertEquals(Path.of(git(folder, "rev-parse", "--show-toplevel")), w.root());
            Path common = Path.of(git(folder, "rev-parse", "--path-format=absolute", "--git-common-dir"));
            assertEquals(common.getParent(), w.mainRoot().orElseThrow());
        }
        Worktree w = Worktree.containing(linked.resolve("src")).orElseThrow();
        assertTrue(w.isLinked());
        assertEquals("review-GH-42", w.name());
        assertEquals("linked worktree review-GH-42 at " + linked + " (main worktree " + main + ")", w.toString());
        Worktree m = Worktree.containing(main.resolve("src")).orElseThrow();
        assertFalse(m.isLinked());
        assertEquals("shop", m.name());
        assertEquals("main worktree shop at " + main, m.toString());
    }

    @Test
    void containing_followsARelativeGitdir_asGitDoes() throws Exception {
        Path main = GitRepo.init(dir.resolve("shop"), Map.of(ATLAS, "{}\n"));
        Path linked = GitRepo.addWorktree(main, dir.resolve("feature-a"));
        Files.writeString(linked.resolve(".git"), "gitdir: ../shop/.git/worktrees/feature-a\n");
        assertEquals(linked.toString(), git(linked, "rev-parse", "--show-toplevel"), "git accepts the relative path");

        Worktree w = Worktree.containing(linked).orElseThrow();
        assertEquals(main, w.mainRoot().orElseThrow());
        assertEquals("json:" + main.resolve(ATLAS), defaultUri(linked));
    }

    @Test
    void containing_outsideGit_isEmpty_andTheDefaultIsFoundUpward() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("unpacked/a/b"));
        assertTrue(Worktree.containing(plain).isEmpty());
        assertEquals(homeUri(), defaultUri(plain));
        Path atlas = dir.resolve("unpacked").resolve(ATLAS);
        Files.createDirectories(atlas.getParent());
        Files.writeString(atlas, "{}\n");
        assertEquals("json:" + atlas, defaultUri(plain));
    }
}
