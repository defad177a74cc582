package dev.portmanager.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code portmanager.*} properties. Bound once before the context starts (by the environment post-processor)
 * and again as a bean; a JavaBean because Spring's binder and configuration metadata expect one. Not thread-safe:
 * read it, do not change it after binding.
 */
@ConfigurationProperties(prefix = PortManagerProperties.PREFIX)
public class PortManagerProperties {
    /** The prefix of every property. */
    public static final String PREFIX = "portmanager";

    /** Whether ports come from the registry; false turns the whole starter off. */
    private boolean enabled = true;

    /** The project the application's ports belong to. Defaults to spring.application.name. */
    private String project;

    /** The service whose port becomes server.port. */
    private String service = "http";

    /**
     * The registry's store URI: json:path, jdbc:h2:..., jdbc:postgresql://... Defaults to the library's default:
     * PORTMANAGER_STORE, else design/worktrees/ports.json found upward from the working directory, else
     * ~/.portmanager/ports.json.
     */
    private String store;

    /**
     * The range every port of the application is taken from. Defaults to the range named like the service if the
     * registry has one, else 'web' if it has that, else any allowed port.
     */
    private String range;

    /**
     * More port properties taken from the registry, each as its own service: property name to service name, such as
     * management.server.port=management.
     */
    private Map<String, String> ports = new LinkedHashMap<>();

    /** Whether ports come from the registry. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Sets whether ports come from the registry. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The project; null when left to {@code spring.application.name}. */
    public String getProject() {
        return project;
    }

    /** Sets the project. */
    public void setProject(String project) {
        this.project = project;
    }

    /** The service of {@code server.port}. */
    public String getService() {
        return service;
    }

    /** Sets the service of {@code server.port}. */
    public void setService(String service) {
        this.service = service;
    }

    /** The store URI; null for the library's default. */
    public String getStore() {
        return store;
    }

    /** Sets the store URI. */
    public void setStore(String store) {
        this.store = store;
    }

    /** The range; null for the library's choice. */
    public String getRange() {
        return range;
    }

    /** Sets the range. */
    public void setRange(String range) {
        this.range = range;
    }

    /** The further port properties: property name to service name. */
    public Map<String, String> getPorts() {
        return ports;
    }

    /** Sets the further port properties. */
    public void setPorts(Map<String, String> ports) {
        this.ports = ports;
    }
}
