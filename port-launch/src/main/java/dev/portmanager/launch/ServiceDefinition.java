package dev.portmanager.launch;

import dev.portmanager.Allocation;
import dev.portmanager.Checks;
import dev.portmanager.ConflictLevel;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How to run a service, kept in the registry beside its port (as the allocation's metadata and health endpoint), as
 * the service entries of seeds 002 and 003: the command, its working directory and environment, the health endpoint,
 * the services it needs started first, and how often to restart it when it crashes. Immutable and thread-safe.
 *
 * <pre>{@code
 * ServiceDefinition api = ServiceDefinition.builder("consilio", "api")
 *         .command("java -jar api.jar --port ${port}")
 *         .workingDirectory(Path.of("/srv/consilio"))
 *         .healthEndpoint("http://localhost:${port}/health")
 *         .dependsOn("db")
 *         .restarts(3, Duration.ofSeconds(1))
 *         .build();
 * }</pre>
 *
 * <p>The command is split into words (double and single quotes group words) and run directly, not through a shell;
 * write {@code sh -c '...'} to use one. {@code ${port}} in the command, the health endpoint and the environment values
 * becomes the service's port.
 */
public final class ServiceDefinition {
    static final String PREFIX = "launch.";
    static final String COMMAND = PREFIX + "command";
    static final String CWD = PREFIX + "cwd";
    static final String ENV = PREFIX + "env.";
    static final String DEPENDS = PREFIX + "depends";
    static final String RESTARTS = PREFIX + "restarts";
    static final String BACKOFF = PREFIX + "backoff";
    static final String RANGE = PREFIX + "range";
    static final String HEALTH = PREFIX + "health";
    static final String ALTERNATIVES = PREFIX + "alternatives";

    private final String project;
    private final String service;
    private final String command;
    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final String healthEndpoint;
    private final List<String> dependsOn;
    private final int maxRestarts;
    private final Duration backoff;
    private final String range;
    private final List<Integer> alternatives;
    private final boolean critical;

    private ServiceDefinition(Builder b) {
        this.project = b.project;
        this.service = b.service;
        this.command = b.command;
        this.workingDirectory = b.workingDirectory;
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.healthEndpoint = b.healthEndpoint;
        this.dependsOn = List.copyOf(b.dependsOn);
        this.maxRestarts = b.maxRestarts;
        this.backoff = b.backoff;
        this.range = b.range;
        this.alternatives = List.copyOf(b.alternatives);
        this.critical = b.critical;
    }

    /**
     * A builder for the service; {@link Builder#command} is required. Not thread-safe.
     *
     * @throws IllegalArgumentException if a name is invalid
     */
    public static Builder builder(String project, String service) {
        return new Builder(Checks.name("project", project), Checks.name("service", service));
    }

    /** The definition kept in an allocation's metadata; empty when the allocation has none. */
    public static Optional<ServiceDefinition> of(Allocation a) {
        Map<String, String> m = a.metadata();
        if (!m.containsKey(COMMAND)) {
            return Optional.empty();
        }
        Builder b = builder(a.project(), a.service()).command(m.get(COMMAND));
        if (m.containsKey(CWD)) {
            b.workingDirectory(Path.of(m.get(CWD)));
        }
        m.forEach((k, v) -> {
            if (k.startsWith(ENV)) {
                b.environment(k.substring(ENV.length()), v);
            }
        });
        if (m.containsKey(HEALTH)) {
            b.healthEndpoint(m.get(HEALTH));
        } else {
            a.healthEndpoint().ifPresent(u -> b.healthEndpoint(u.toString()));
        }
        if (m.containsKey(DEPENDS) && !m.get(DEPENDS).isBlank()) {
            b.dependsOn(m.get(DEPENDS).split(","));
        }
        if (m.containsKey(RESTARTS)) {
            b.restarts(Integer.parseInt(m.get(RESTARTS)), Duration.parse(m.getOrDefault(BACKOFF, "PT1S")));
        }
        if (m.containsKey(RANGE)) {
            b.range(m.get(RANGE));
        }
        if (m.containsKey(ALTERNATIVES) && !m.get(ALTERNATIVES).isBlank()) {
            b.alternatives(Arrays.stream(m.get(ALTERNATIVES).split(",")).mapToInt(w -> Integer.parseInt(w.strip()))
                    .toArray());
        }
        b.critical(ConflictLevel.isCritical(a));
        return Optional.of(b.build());
    }

    /**
     * The metadata that keeps this definition. The health endpoint is kept as written ({@code ${port}} and all) and,
     * resolved, in the allocation's own field, where monitoring finds it.
     */
    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(COMMAND, command);
        if (workingDirectory != null) {
            m.put(CWD, workingDirectory.toString());
        }
        environment.forEach((k, v) -> m.put(ENV + k, v));
        m.put(DEPENDS, String.join(",", dependsOn));
        m.put(RESTARTS, String.valueOf(maxRestarts));
        m.put(BACKOFF, backoff.toString());
        if (range != null) {
            m.put(RANGE, range);
        }
        if (healthEndpoint != null) {
            m.put(HEALTH, healthEndpoint);
        }
        if (!alternatives.isEmpty()) {
            m.put(ALTERNATIVES, alternatives.stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if (critical) {
            m.put(ConflictLevel.CRITICAL_KEY, "true");
        }
        return m;
    }

    /** The project. */
    public String project() {
        return project;
    }

    /** The service. */
    public String service() {
        return service;
    }

    /** The command line, with {@code ${port}} not yet replaced. */
    public String command() {
        return command;
    }

    /** The command's words for a port: {@code ${port}} replaced. */
    public List<String> argv(int port) {
        return CommandWords.split(command.replace("${port}", String.valueOf(port)));
    }

    /** Where the command runs; empty for the launcher's working directory. */
    public Optional<Path> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /** Extra environment variables, {@code ${port}} not yet replaced. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The health endpoint with {@code ${port}} replaced; empty to check with a TCP connection. */
    public Optional<URI> healthEndpoint(int port) {
        return Optional.ofNullable(healthEndpoint).map(e -> URI.create(e.replace("${port}", String.valueOf(port))));
    }

    /** The services of the same project that must be started (and healthy) first. */
    public List<String> dependsOn() {
        return dependsOn;
    }

    /** How many times a crashed service is restarted when supervised; 0 for never. */
    public int maxRestarts() {
        return maxRestarts;
    }

    /** The wait before the first restart; it doubles with each further one. */
    public Duration backoff() {
        return backoff;
    }

    /** The range to take the port from; empty for the policy's choice. */
    public Optional<String> range() {
        return Optional.ofNullable(range);
    }

    /**
     * The ports the service prefers, in order (seed 003's {@code alternative_ports}): it is defined on the first free
     * one, and the conservative strategy migrates it to the first free one when another process holds its port.
     * Empty for none: any free port of its range.
     */
    public List<Integer> alternatives() {
        return alternatives;
    }

    /**
     * Whether the service is critical (seed 003's {@code critical: true}, kept as the allocation's {@code critical}
     * metadata): a foreign process on its port is a {@link ConflictLevel#CRITICAL} conflict.
     */
    public boolean critical() {
        return critical;
    }

    @Override
    public String toString() {
        return project + "/" + service + ": " + command + (dependsOn.isEmpty() ? "" : " (after " + dependsOn + ")");
    }

    /** Builds a {@link ServiceDefinition}; each value is checked as it is given. Not thread-safe. */
    public static final class Builder {
        private final String project;
        private final String service;
        private String command;
        private Path workingDirectory;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String healthEndpoint;
        private final List<String> dependsOn = new ArrayList<>();
        private int maxRestarts;
        private Duration backoff = Duration.ofSeconds(1);
        private String range;
        private final List<Integer> alternatives = new ArrayList<>();
        private boolean critical;

        private Builder(String project, String service) {
            this.project = project;
            this.service = service;
        }

        /** The command line. @throws IllegalArgumentException if blank or it does not split into words */
        public Builder command(String command) {
            Checks.text("command", command);
            if (CommandWords.split(command).isEmpty()) {
                throw new IllegalArgumentException("command " + Checks.quote(command) + " is empty; give the program "
                        + "to run, such as: java -jar api.jar --port ${port}");
            }
            this.command = command;
            return this;
        }

        /** Where the command runs. @throws NullPointerException if null */
        public Builder workingDirectory(Path dir) {
            this.workingDirectory = Objects.requireNonNull(dir, "dir == null");
            return this;
        }

        /** One environment variable. @throws IllegalArgumentException if the name is not a variable name */
        public Builder environment(String name, String value) {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("environment variable name " + (name == null ? "null"
                        : Checks.quote(name)) + " is not a variable name; use letters, digits and _");
            }
            environment.put(name, Checks.text("value of " + name, Objects.requireNonNull(value, "value == null")));
            return this;
        }

        /** The health endpoint, such as {@code http://localhost:${port}/health}. */
        public Builder healthEndpoint(String endpoint) {
            Objects.requireNonNull(endpoint, "endpoint == null");
            URI probe = URI.create(endpoint.replace("${port}", "1"));
            if (probe.getScheme() == null || probe.getHost() == null) {
                throw new IllegalArgumentException("health endpoint " + Checks.quote(endpoint) + " is not an absolute "
                        + "URI with a host; write it like http://localhost:${port}/health");
            }
            this.healthEndpoint = endpoint;
            return this;
        }

        /** Services of the same project to start first. @throws IllegalArgumentException if a name is invalid */
        public Builder dependsOn(String... services) {
            for (String s : services) {
                String name = Checks.name("dependency", s.strip());
                if (!dependsOn.contains(name)) {
                    dependsOn.add(name);
                }
            }
            return this;
        }

        /**
         * Restarts a crashed supervised service up to {@code max} times, waiting {@code backoff}, then twice as long
         * each further time.
         *
         * @throws IllegalArgumentException if max is negative or the backoff is negative
         */
        public Builder restarts(int max, Duration backoff) {
            if (max < 0) {
                throw new IllegalArgumentException("restart limit " + max + " is negative; give 0 for never");
            }
            Objects.requireNonNull(backoff, "backoff == null");
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("restart backoff " + backoff + " is negative");
            }
            this.maxRestarts = max;
            this.backoff = backoff;
            return this;
        }

        /** The range to take the port from. */
        public Builder range(String range) {
            this.range = Checks.name("range name", range);
            return this;
        }

        /**
         * The ports the service prefers, in order; replaces earlier ones.
         *
         * @throws IllegalArgumentException if a port is outside 1-65535 or named twice
         */
        public Builder alternatives(int... ports) {
            Objects.requireNonNull(ports, "ports == null");
            List<Integer> checked = new ArrayList<>();
            for (int p : ports) {
                Checks.port("alternative port", p);
                if (checked.contains(p)) {
                    throw new IllegalArgumentException("alternative port " + p + " of " + project + "/" + service
                            + " is named twice; name each once");
                }
                checked.add(p);
            }
            alternatives.clear();
            alternatives.addAll(checked);
            return this;
        }

        /** Marks the service critical, or not (the default). */
        public Builder critical(boolean critical) {
            this.critical = critical;
            return this;
        }

        /** Builds the definition. @throws IllegalStateException if no command was given */
        public ServiceDefinition build() {
            if (command == null) {
                throw new IllegalStateException(project + "/" + service + " has no command; give one with command(...)");
            }
            if (dependsOn.contains(service)) {
                throw new IllegalArgumentException(project + "/" + service + " depends on itself; remove it from "
                        + "dependsOn");
            }
            return new ServiceDefinition(this);
        }
    }
}
