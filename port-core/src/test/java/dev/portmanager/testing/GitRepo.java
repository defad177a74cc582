package dev.portmanager.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real git repositories and worktrees for tests, made with the git command itself. */
public final class GitRepo {
    private GitRepo() {
    }

    /** Skips the calling test unless {@code git} runs here. */
    public static void assumeGit() {
        boolean runs;
        try {
            Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            runs = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            runs = false;
        }
        Assumptions.assumeTrue(runs, "git is not installed");
    }

    /**
     * Runs git in {@code dir}, with no GIT_* variables of the build and a fixed identity.
     *
     * @return what git printed on stdout, stripped
     * @throws IllegalStateException if git fails
     */
    public static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c",
                "user.email=test@example.invalid", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " in " + dir + " failed: " + out);
        }
        return out.strip();
    }

    /** A new repository at {@code main} with the files (relative path to content) committed. */
    public static Path init(Path main, Map<String, String> files) throws IOException, InterruptedException {
        Files.createDirectories(main);
        git(main, "init", "-q");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = main.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue());
        }
        git(main, "add", "-A");
        git(main, "commit", "-q", "--allow-empty", "-m", "start");
        return main;
    }

    /** {@code git worktree add -b <folder name> <at>}: a linked worktree of the repository at {@code main}. */
    public static Path addWorktree(Path main, Path at) throws IOException, InterruptedException {
        git(main, "worktree", "add", "-q", "-b", at.getFileName().toString(), at.toString());
        return at;
    }
}
