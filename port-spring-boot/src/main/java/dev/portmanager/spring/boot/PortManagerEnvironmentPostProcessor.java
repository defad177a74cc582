package dev.portmanager.spring.boot;

import dev.portmanager.Allocation;
import dev.portmanager.AllocationRequest;
import dev.portmanager.Checks;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerBuilder;
import dev.portmanager.PortRange;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets {@code server.port}, and each property mapped under {@code portmanager.ports}, from the registry before the
 * application context starts: {@code getOrAllocate(project, service)}, so the application gets the same port on every
 * restart. Runs right after the application's configuration files are read. A port property already set to a port
 * (not 0) is left alone and said so at info; so is {@code server.port=0} set by a Spring test
 * ({@code @SpringBootTest(webEnvironment = RANDOM_PORT)}), which asks for a random port on purpose. Applications that
 * start no web server, and {@code portmanager.enabled=false}, get nothing.
 *
 * <p>Registered in {@code META-INF/spring.factories}; Spring Boot creates and calls it once per application run, on
 * one thread. Failures are {@link PortAssignmentException}s, reported by {@link PortManagerFailureAnalyzer}.
 */
public final class PortManagerEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {
    /** Right after the configuration files are read, so they are seen, and before anything reads the ports. */
    public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;
    /** The property the web server listens on. */
    static final String SERVER_PORT = "server.port";
    /** The range a web application's ports come from when neither the settings nor the service name one. */
    static final String WEB_RANGE = "web";
    /** Where Spring's test framework puts a test's inline properties, {@code server.port=0} for a random port. */
    static final String TEST_PROPERTIES = "Inlined Test Properties";

    private final Log log;

    /**
     * Spring Boot calls this.
     *
     * @param logs the log factory whose lines appear once logging is set up
     */
    public PortManagerEnvironmentPostProcessor(DeferredLogFactory logs) {
        this.log = logs.getLog(PortManagerEnvironmentPostProcessor.class);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /**
     * Takes the ports from the registry and puts them first among the environment's property sources.
     *
     * @throws PortAssignmentException if the registry cannot be opened, a range is full, or a name is missing or bad
     */
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(RegistryPortsPropertySource.NAME)) {
            return;
        }
        PortManagerProperties settings = Binder.get(environment)
                .bindOrCreate(PortManagerProperties.PREFIX, PortManagerProperties.class);
        if (!settings.isEnabled()) {
            log.info("portmanager.enabled=false: no port is taken from the registry");
            return;
        }
        if (application.getWebApplicationType() == WebApplicationType.NONE
                || "none".equalsIgnoreCase(environment.getProperty("spring.main.web-application-type", ""))) {
            log.debug("no web server in this application: no port is taken from the registry");
            return;
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : services(settings).entrySet()) {
            String explicit = explicitValue(environment, e.getKey());
            if (explicit == null) {
                wanted.put(e.getKey(), e.getValue());
            } else {
                log.info(e.getKey() + "=" + explicit + " is set explicitly: left alone, no port taken from the "
                        + "registry for service '" + e.getValue() + "'");
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        String project = Failures.project(settings, environment.getProperty("spring.application.name"));
        Failures.checkNames(settings, wanted);
        PortManager pm = open(settings, wanted.keySet().iterator().next());
        String store = Checks.maskSecrets(pm.storeName());
        List<PortAssignment> assignments = new ArrayList<>();
        try {
            Map<String, PortRange> ranges = settings.getRange() != null ? Map.of() : ranges(pm);
            for (Map.Entry<String, String> e : wanted.entrySet()) {
                String property = e.getKey();
                Allocation a = pm.getOrAllocate(request(settings, ranges, project, e.getValue(), property));
                assignments.add(new PortAssignment(property, project, e.getValue(), a.port()));
                log.info(property + "=" + a.port() + " from the registry " + store + " (" + project + "/"
                        + e.getValue() + a.range().map(r -> ", range " + r).orElse("") + ")");
            }
        } catch (RuntimeException e) {
            pm.close();
            throw Failures.allocation(e, settings, store, project, wanted, assignments.size());
        }
        environment.getPropertySources().addFirst(
                new RegistryPortsPropertySource(new RegistryPorts(pm, store, assignments)));
    }

    /** Property to service: {@code server.port} to {@code portmanager.service}, then the mapped ones. */
    private static Map<String, String> services(PortManagerProperties settings) {
        Map<String, String> services = new LinkedHashMap<>();
        services.put(SERVER_PORT, settings.getService());
        services.putAll(settings.getPorts());
        return services;
    }

    /**
     * The value of a port property the registry must not override: set, and not 0 (unless a Spring test set the 0);
     * null when the registry should set it.
     */
    static String explicitValue(ConfigurableEnvironment environment, String property) {
        String value = environment.getProperty(property);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!isZero(value)) {
            return value;
        }
        PropertySource<?> test = environment.getPropertySources().get(TEST_PROPERTIES);
        return test != null && test.containsProperty(property) ? value : null;
    }

    private static boolean isZero(String value) {
        try {
            return Integer.parseInt(value.strip()) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static PortManager open(PortManagerProperties settings, String property) {
        PortManagerBuilder builder = PortManager.builder();
        try {
            if (settings.getStore() != null) {
                builder.store(settings.getStore());
            }
            return builder.build();
        } catch (RuntimeException e) {
            throw Failures.store(e, settings.getStore(), property);
        }
    }

    private static Map<String, PortRange> ranges(PortManager pm) {
        Map<String, PortRange> ranges = new HashMap<>();
        for (PortRange r : pm.ranges()) {
            ranges.put(r.name(), r);
        }
        return ranges;
    }

    /**
     * The request for a service's port: from {@code portmanager.range} when set; else from the range named like the
     * service when the registry has one (the library's own rule), else from {@value #WEB_RANGE} when the registry has
     * it and it serves automatic allocation (a web application's ports belong there), else from any allowed port.
     */
    private static AllocationRequest request(PortManagerProperties settings, Map<String, PortRange> ranges,
                                             String project, String service, String property) {
        AllocationRequest.Builder b = AllocationRequest.builder(project, service)
                .description(property + " of Spring Boot application " + project);
        if (settings.getRange() != null) {
            b.range(settings.getRange());
        } else if (!ranges.containsKey(service) && ranges.containsKey(WEB_RANGE)
                && ranges.get(WEB_RANGE).autoAllocate()) {
            b.range(WEB_RANGE);
        }
        return b.build();
    }
}
