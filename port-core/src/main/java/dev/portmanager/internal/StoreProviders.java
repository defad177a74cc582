package dev.portmanager.internal;

import dev.portmanager.Checks;
import dev.portmanager.Worktree;
import dev.portmanager.spi.PortStore;
import dev.portmanager.spi.StoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds {@link StoreProvider}s with {@link ServiceLoader} on port-core's own class loader, and works out the default
 * store. A provider that fails to load is logged and skipped. Thread-safe.
 */
final class StoreProviders {
    /** The environment variable holding a store URI that overrides the default store. */
    static final String STORE_ENV = "PORTMANAGER_STORE";
    /** Where Atlas keeps its registry, relative to a repository root. */
    static final Path ATLAS_LOCATION = Path.of("design", "worktrees", "ports.json");

    private static final Logger LOG = LoggerFactory.getLogger(StoreProviders.class);

    private StoreProviders() {
    }

    /**
     * Opens the store the URI names, through the one provider that supports it.
     *
     * @throws IllegalArgumentException if no provider supports the URI; the message lists the known forms and the
     *                                  module to add
     * @throws IllegalStateException    if several providers support it
     */
    static PortStore open(String uri) {
        List<StoreProvider> all = load();
        List<StoreProvider> matching = new ArrayList<>();
        for (StoreProvider p : all) {
            if (p.supports(uri)) {
                matching.add(p);
            }
        }
        if (matching.isEmpty()) {
            List<String> forms = new ArrayList<>();
            for (StoreProvider p : all) {
                forms.add(p.uriForms());
            }
            throw new IllegalArgumentException("no store provider opens " + Checks.quote(uri) + "; known forms: "
                    + String.join(", ", forms) + ". For json:<path> add dev.portmanager:port-store-json to the "
                    + "classpath, for jdbc:h2:... or jdbc:postgresql://... add dev.portmanager:port-store-jdbc");
        }
        if (matching.size() > 1) {
            List<String> names = new ArrayList<>();
            for (StoreProvider p : matching) {
                names.add(p.getClass().getName());
            }
            throw new IllegalStateException("several store providers open " + Checks.quote(uri) + ": "
                    + String.join(", ", names) + "; keep one of them on the classpath");
        }
        return matching.get(0).open(uri);
    }

    /** Whether some provider supports the URI. */
    static boolean supported(String uri) {
        for (StoreProvider p : load()) {
            if (p.supports(uri)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The default store URI: {@code PORTMANAGER_STORE} if set. Else, inside a git worktree, the
     * {@code design/worktrees/ports.json} at the root of the repository's main worktree, which every linked worktree
     * shares (a linked worktree's own copy is never used), when that file exists. Outside git, the first
     * {@code design/worktrees/ports.json} found from {@code workingDir} upward. Else
     * {@code json:<home>/.portmanager/ports.json}. No git process is started (see {@link Worktree}).
     *
     * @param env        the environment variables
     * @param workingDir where the search starts
     * @param home       the user's home folder
     */
    static String defaultUri(Map<String, String> env, Path workingDir, Path home) {
        String fromEnv = env.get(STORE_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        String homeUri = "json:" + home.toAbsolutePath().resolve(".portmanager").resolve("ports.json");
        Optional<Worktree> worktree = Worktree.containing(workingDir);
        if (worktree.isPresent()) {
            Worktree w = worktree.get();
            Optional<Path> shared = w.mainRoot().map(main -> main.resolve(ATLAS_LOCATION)).filter(Files::isRegularFile);
            Path own = w.root().resolve(ATLAS_LOCATION);
            if (w.isLinked() && Files.isRegularFile(own)) {
                LOG.debug("{}: its own {} is not used; every worktree of a repository shares the main worktree's "
                        + "registry: {}", w, own, shared.map(Path::toString).orElse("none, so " + homeUri));
            }
            return shared.map(p -> "json:" + p).orElse(homeUri);
        }
        for (Path dir = workingDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(ATLAS_LOCATION);
            if (Files.isRegularFile(candidate)) {
                return "json:" + candidate;
            }
        }
        return homeUri;
    }

    static List<StoreProvider> load() {
        List<StoreProvider> providers = new ArrayList<>();
        Iterator<StoreProvider> it = ServiceLoader.load(StoreProvider.class, StoreProvider.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                providers.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping a store provider that failed to load: {}", e.getMessage());
            }
        }
        return providers;
    }
}
