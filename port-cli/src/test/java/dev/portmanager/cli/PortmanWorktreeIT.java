package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portmanager.testing.FreeSpan;
import dev.portmanager.testing.GitRepo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.portmanager.testing.GitRepo.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * portman in real git worktrees (git init, git worktree add), with no --store: every worktree shares the main
 * worktree's design/worktrees/ports.json, and a linked worktree is the project of commands that take one optionally.
 */
class PortmanWorktreeIT {
    private static final String ATLAS = "design/worktrees/ports.json";

    @TempDir
    Path dir;
    private Path main;
    private int first;
    private String committed;

    @BeforeEach
    void setUp() throws Exception {
        GitRepo.assumeGit();
        dir = dir.toRealPath();
        first = FreeSpan.find(10);
        committed = "{\"ranges\": {\"web\": {\"start\": " + first + ", \"end\": " + (first + 9) + ", \"description\": "
                + "\"web\", \"auto_allocate\": true}}, \"allocations\": [], \"metadata\": {\"schema_version\": 1}}\n";
        main = GitRepo.init(dir.resolve("shop"), Map.of(ATLAS, committed, "src/App.java", "class App {}\n"));
    }

    private static PortmanJar.Result portman(Path workingDir, Map<String, String> env, String... args)
            throws Exception {
        return PortmanJar.run(workingDir, env, args);
    }

    private static PortmanJar.Result portman(Path workingDir, String... args) throws Exception {
        return portman(workingDir, Map.of("PORTMANAGER_PROJECT", ""), args);
    }

    @Test
    void get_inThreeLinkedWorktrees_handsOutThreePorts_fromTheMainWorktreesRegistry() throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (String name : List.of("review-GH-42", "feature-a", "feature-b")) {
            Path linked = GitRepo.addWorktree(main, dir.resolve(name));
            PortmanJar.Result get = portman(linked.resolve("src"), "get", name, "web");
            assertEquals(0, get.exit(), get.toString());
            int port = Integer.parseInt(get.out().strip());
            assertTrue(port >= first && port <= first + 9, get.out());
            ports.add(port);
            assertEquals(committed, Files.readString(linked.resolve(ATLAS)), "the worktree's own copy is not written");
            assertEquals("", git(linked, "status", "--porcelain"), name + " stays clean");
        }
        assertEquals(3, ports.size(), "three worktrees, three ports: " + ports);
        JsonNode list = portman(main, "list", "--json").json();
        assertEquals(3, list.size(), list.toString());
        for (JsonNode a : list) {
            assertTrue(ports.contains(a.get("port").asInt()), a.toString());
        }
    }

    @Test
    void env_inALinkedWorktree_isTheWorktreesProject_andComposeNamesItsProject() throws Exception {
        Path linked = GitRepo.addWorktree(main, dir.resolve("Review_GH-42.v2"));
        int mine = Integer.parseInt(portman(linked, "get", "Review_GH-42.v2", "web").out().strip());
        int other = Integer.parseInt(portman(main, "get", "billing", "web").out().strip());

        PortmanJar.Result env = portman(linked, "env", "--format", "dotenv");
        assertEquals(0, env.exit(), env.toString());
        assertEquals("REVIEW_GH_42_V2_WEB_PORT=" + mine + "\nREVIEW_GH_42_V2_WEB_URL=http://localhost:" + mine + "\n",
                env.out());
        PortmanJar.Result compose = portman(linked, "env", "--compose");
        assertEquals(0, compose.exit(), compose.toString());
        assertTrue(compose.out().endsWith("export REVIEW_GH_42_V2_WEB_URL='http://localhost:" + mine + "'\n"
                + "export COMPOSE_PROJECT_NAME='review_gh-42v2'\n"), compose.out());
        JsonNode all = portman(linked, "env", "--all", "--json").json();
        assertEquals(String.valueOf(other), all.get("BILLING_WEB_PORT").asText());
        assertEquals(String.valueOf(mine), all.get("REVIEW_GH_42_V2_WEB_PORT").asText());
        assertEquals(String.valueOf(other), portman(linked, Map.of("PORTMANAGER_PROJECT", "billing"), "env", "--json")
                .json().get("BILLING_WEB_PORT").asText(), "$PORTMANAGER_PROJECT comes first");
        assertEquals(2 * 2, portman(main, "env", "--json").json().size(), "the main worktree names no project");

        PortmanJar.Result none = portman(main, "env", "--compose");
        assertEquals(2, none.exit(), none.toString());
        assertEquals("portman env: --compose needs one project, and none was given or implied; name it: portman env "
                + "PROJECT --compose\n", none.err());
        PortmanJar.Result both = portman(linked, "env", "billing", "--all");
        assertEquals(2, both.exit(), both.toString());
        assertEquals("portman env: --all and PROJECT 'billing' both say which projects; give one\n", both.err());
    }

    @Test
    void status_inALinkedWorktree_isTheWorktreesProject_amongSeveralDefined() throws Exception {
        Path linked = GitRepo.addWorktree(main, dir.resolve("feature-a"));
        for (String project : List.of("feature-a", "billing")) {
            PortmanJar.Result define = portman(main, "define", project, "web", "--command", "sleep 30");
            assertEquals(0, define.exit(), define.toString());
        }
        PortmanJar.Result status = portman(linked, "status", "--json");
        assertEquals(3, status.exit(), status.toString());
        JsonNode services = status.json();
        assertEquals(1, services.size(), services.toString());
        assertEquals("web", services.get(0).get("service").asText());
        assertTrue(services.get(0).get("log").asText().endsWith("/feature-a/web.log"), services.toString());
        PortmanJar.Result inMain = portman(main, "status");
        assertEquals(2, inMain.exit(), inMain.toString());
        assertEquals("portman status: several projects have defined services [billing, feature-a]; name one: "
                + "portman <command> PROJECT\n", inMain.err());
    }
}
