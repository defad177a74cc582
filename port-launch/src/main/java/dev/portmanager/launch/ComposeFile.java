package dev.portmanager.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portmanager.CheckReport;
import dev.portmanager.PlannedBinding;
import dev.portmanager.PortManager;
import dev.portmanager.Protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The host ports a docker-compose file publishes, read from every service's {@code ports:}, to check them before the
 * stack starts. Both syntaxes: short ({@code "8080:80"}, {@code "127.0.0.1:8001:8001"}, {@code "[::1]:6001:6001"},
 * {@code "9090-9091:8080-8081"}, {@code "8080-8085:80"}, {@code "6060:6060/udp"}) and long ({@code target},
 * {@code published}, {@code host_ip}, {@code protocol}). A container port with no host port publishes an ephemeral
 * one, which cannot clash, and is left out.
 *
 * <pre>{@code
 * CheckReport report = ComposeFile.read(Path.of("docker-compose.yml")).check(pm);
 * report.problems().forEach(System.out::println);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ComposeFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path file;
    private final String project;
    private final List<Mapping> mappings;

    private ComposeFile(Path file, String project, List<Mapping> mappings) {
        this.file = file;
        this.project = project;
        this.mappings = List.copyOf(mappings);
    }

    /**
     * One {@code ports:} entry: host ports {@code hostFirst..hostLast} on {@code hostIp}, published for container
     * ports {@code containerFirst..containerLast}.
     *
     * @param service        the compose service
     * @param hostIp         the host address, {@code 0.0.0.0} when none is given
     * @param hostFirst      the first host port
     * @param hostLast       the last host port
     * @param containerFirst the first container port
     * @param containerLast  the last container port
     * @param protocol       TCP or UDP
     * @param entry          the entry as written, for messages
     */
    public record Mapping(String service, String hostIp, int hostFirst, int hostLast, int containerFirst,
                          int containerLast, Protocol protocol, String entry) {
        /**
         * Whether Docker publishes one port of a host range for a single container port ({@code 8080-8085:80}):
         * any free port of the range will do.
         */
        public boolean oneOf() {
            return hostLast > hostFirst && containerFirst == containerLast;
        }
    }

    /**
     * Reads a compose file. The project is the file's {@code name:}, else its folder's name, as docker compose names
     * it.
     *
     * @throws IllegalArgumentException if the file cannot be read, is not YAML, or a {@code ports:} entry is
     *                                  malformed; the message names the file, the service and the entry
     */
    public static ComposeFile read(Path file) {
        Objects.requireNonNull(file, "file == null");
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("compose file " + file + " does not exist", e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("compose file " + file + " is not YAML: line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
                    + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read compose file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("compose file " + file + " has no services: it is not a mapping");
        }
        String project = root.hasNonNull("name") ? root.get("name").asText() : projectName(file);
        List<Mapping> mappings = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            for (JsonNode entry : service.getValue().path("ports")) {
                ComposePorts.parse(service.getKey(), entry, file).ifPresent(mappings::add);
            }
        }
        return new ComposeFile(file, project, mappings);
    }

    /**
     * The YAML parser's message in one line: its snippets of the file (indented lines, carets) and positions left out,
     * the problem first and what it was parsing after it: {@code expected ',' or ']', but got <stream end> (while
     * parsing a flow sequence)}.
     */
    static String oneLine(String parserMessage) {
        List<String> said = new ArrayList<>();
        for (String line : parserMessage.split("\\R")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                said.add(line.strip());
            }
        }
        if (said.isEmpty()) {
            return parserMessage.strip();
        }
        String problem = said.get(said.size() - 1);
        return said.size() == 1 ? problem : problem + " (" + String.join("; ", said.subList(0, said.size() - 1)) + ")";
    }

    /** docker compose's default project name: the folder's name, normalised as {@link #projectName(String)}. */
    static String projectName(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        String name = dir == null || dir.getFileName() == null ? "default" : dir.getFileName().toString();
        return projectName(name).orElse("default");
    }

    /**
     * A name as docker compose normalises a project name taken from a folder: lower-cased, every character other than
     * {@code a-z}, {@code 0-9}, {@code -} and {@code _} dropped, then leading {@code -} and {@code _} dropped, so that
     * it starts with a letter or digit as compose requires ({@code Review_GH-42.v2} becomes {@code review_gh-42v2}).
     *
     * @return the compose project name; empty if nothing is left
     * @throws NullPointerException if name is null
     */
    public static Optional<String> projectName(String name) {
        String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "").replaceFirst("^[-_]+", "");
        return cleaned.isEmpty() ? Optional.empty() : Optional.of(cleaned);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The compose project's name. */
    public String project() {
        return project;
    }

    /** The published host ports, entry by entry, in file order. */
    public List<Mapping> mappings() {
        return mappings;
    }

    /**
     * Checks the file's host ports against each other, the registry and this machine. A one-of host range
     * ({@code 8080-8085:80}) passes with its first port that passes; if none does, its first port's verdict says why.
     *
     * @throws NullPointerException if the manager is null
     */
    public CheckReport check(PortManager pm) {
        Objects.requireNonNull(pm, "pm == null");
        List<PlannedBinding> plan = new ArrayList<>();
        for (Mapping m : mappings) {
            if (!m.oneOf()) {
                for (int p = m.hostFirst(); p <= m.hostLast(); p++) {
                    plan.add(binding(m, p));
                }
            }
        }
        for (Mapping m : mappings) {
            if (m.oneOf()) {
                plan.add(choose(pm, plan, m));
            }
        }
        return pm.check(plan);
    }

    private PlannedBinding choose(PortManager pm, List<PlannedBinding> plan, Mapping m) {
        for (int p = m.hostFirst(); p <= m.hostLast(); p++) {
            List<PlannedBinding> tried = new ArrayList<>(plan);
            tried.add(binding(m, p));
            List<CheckReport.Result> results = pm.check(tried).results();
            if (results.get(results.size() - 1).verdict() == CheckReport.Verdict.OK) {
                return binding(m, p);
            }
        }
        return binding(m, m.hostFirst());
    }

    private PlannedBinding binding(Mapping m, int hostPort) {
        return new PlannedBinding(project, m.service(), hostPort, m.protocol(), m.hostIp());
    }

    @Override
    public String toString() {
        return "ComposeFile{" + file + ", project " + project + ", " + mappings.size() + " published entries}";
    }
}
