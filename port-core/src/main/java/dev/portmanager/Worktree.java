package dev.portmanager;

import dev.portmanager.internal.LocalMachine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The git worktree a folder belongs to, found by reading git's own files, without starting git: the nearest folder
 * upward holding {@code .git}. A {@code .git} folder makes it a main worktree. A {@code .git} file
 * ({@code gitdir: <path>}) whose folder has a {@code commondir} file makes it a linked worktree
 * ({@code git worktree add}), and the repository's main worktree is the folder holding the common {@code .git}
 * folder, as {@code git rev-parse --git-common-dir} reports it; without {@code commondir} it is a main worktree whose
 * git folder lives elsewhere (a submodule, {@code --separate-git-dir}).
 *
 * <p>Every worktree of a repository shares the registry at the root of the main worktree
 * ({@code design/worktrees/ports.json}); the default store of {@link PortManager#builder()} is found this way, and the
 * {@code portman} CLI names a linked worktree's project after it. Immutable and thread-safe.
 */
public final class Worktree {
    private static final String GIT = ".git";

    private final Path root;
    private final Path mainRoot;
    private final boolean linked;

    private Worktree(Path root, Path mainRoot, boolean linked) {
        this.root = root;
        this.mainRoot = mainRoot;
        this.linked = linked;
    }

    /**
     * The worktree holding {@code folder} (the folder itself, or one of its parents), read from the {@code .git}
     * entries on disk. A {@code .git} file that cannot be read or names no git folder ends the search: git would
     * refuse it too.
     *
     * @param folder any folder, relative ones against the working directory
     * @return the worktree, or empty outside git
     * @throws NullPointerException if folder is null
     */
    public static Optional<Worktree> containing(Path folder) {
        Objects.requireNonNull(folder, "folder == null");
        for (Path dir = folder.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path git = dir.resolve(GIT);
            if (Files.isDirectory(git)) {
                return Optional.of(new Worktree(dir, dir, false));
            }
            if (Files.isRegularFile(git)) {
                return fromGitFile(dir, git);
            }
        }
        return Optional.empty();
    }

    private static Optional<Worktree> fromGitFile(Path dir, Path gitFile) {
        try {
            String text = LocalMachine.readSmallFile(gitFile).strip();
            if (!text.startsWith("gitdir:")) {
                return Optional.empty();
            }
            Path gitDir = dir.resolve(text.substring("gitdir:".length()).strip()).normalize();
            Path commonDirFile = gitDir.resolve("commondir");
            if (!Files.isRegularFile(commonDirFile)) {
                return Files.isDirectory(gitDir) ? Optional.of(new Worktree(dir, dir, false)) : Optional.empty();
            }
            Path common = gitDir.resolve(LocalMachine.readSmallFile(commonDirFile).strip()).normalize();
            // The main worktree holds the common folder as its .git; a bare repository (or one whose git folder was
            // moved aside with --separate-git-dir) has no main worktree git can name either.
            boolean hasMain = common.getFileName() != null && common.getFileName().toString().equals(GIT)
                    && Files.isDirectory(common);
            return Optional.of(new Worktree(dir, hasMain ? common.getParent() : null, true));
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** This worktree's top folder, absolute. */
    public Path root() {
        return root;
    }

    /** Whether this is a linked worktree ({@code git worktree add}) rather than the repository's main one. */
    public boolean isLinked() {
        return linked;
    }

    /**
     * The top folder of the repository's main worktree: {@link #root()} for a main worktree; empty for a linked
     * worktree of a bare repository, which has none.
     */
    public Optional<Path> mainRoot() {
        return Optional.ofNullable(mainRoot);
    }

    /** The worktree's name: its top folder's name, as in {@code git worktree list}. */
    public String name() {
        Path name = root.getFileName();
        return name == null ? root.toString() : name.toString();
    }

    /** {@code linked worktree review-GH-42 at /src/review-GH-42 (main worktree /src/shop)}. */
    @Override
    public String toString() {
        return (linked ? "linked worktree " : "main worktree ") + name() + " at " + root
                + (linked ? " (main worktree " + (mainRoot == null ? "none: the repository is bare" : mainRoot) + ")"
                : "");
    }
}
