package dev.portmanager.cli;

import dev.portmanager.Worktree;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The project of a command run without one, where the project is optional ({@code env}, {@code up}, {@code down},
 * {@code restart}, {@code status}): {@code $PORTMANAGER_PROJECT}, else, inside a linked git worktree, the worktree's
 * name (as Atlas names the {@code worktree} of an allocation). Stateless and thread-safe.
 */
final class DefaultProject {
    /** The environment variable naming the default project. */
    static final String ENV = "PORTMANAGER_PROJECT";

    private DefaultProject() {
    }

    /** The default project for this run: from its environment and working directory. */
    static Optional<String> find() {
        return find(System.getenv(), Path.of(System.getProperty("user.dir")));
    }

    static Optional<String> find(Map<String, String> env, Path workingDir) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.strip());
        }
        return Worktree.containing(workingDir).filter(Worktree::isLinked).map(Worktree::name);
    }
}
