package dev.portmanager.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portmanager.Allocation;
import dev.portmanager.PortManager;
import dev.portmanager.testing.FreeSpan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Spring Boot web applications (embedded Tomcat) in this JVM, each on a registry file of its own. */
@ExtendWith(OutputCaptureExtension.class)
class PortManagerStarterTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    @Test
    void sameApp_whenStartedTwice_getsTheSamePortAndAnswersHttpOnIt() {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        int first;
        try (ConfigurableApplicationContext app = TestApp.start(registry.args("shop"))) {
            first = port(app);
            assertTrue(first >= registry.first && first <= registry.last, first + " in the test range");
            assertEquals("hello from shop", TestRegistry.get(first, "/hello").body());
        }
        try (ConfigurableApplicationContext app = TestApp.start(registry.args("shop"))) {
            assertEquals(first, port(app));
            HttpResponse<String> again = TestRegistry.get(first, "/hello");
            assertEquals(200, again.statusCode());
            assertEquals("hello from shop", again.body());
        }
        assertEquals(first, registry.find("shop", "http").orElseThrow().port());
    }

    @Test
    void serverPort_whenNoRangeIsSet_comesFromTheWebRangeUnlessARangeIsNamedLikeTheService() {
        int first = FreeSpan.find(4);
        String store = "json:" + tmp.resolve("ports.json");
        try (PortManager pm = PortManager.builder().store(store).range("web", first, first + 1)
                .range("management", first + 2, first + 3).build()) {
            pm.ranges();
        }
        try (ConfigurableApplicationContext app = TestApp.start("--spring.application.name=shop",
                "--portmanager.store=" + store, "--portmanager.ports.management.server.port=management")) {
            int management = app.getEnvironment().getProperty("local.management.port", Integer.class);
            assertTrue(port(app) == first || port(app) == first + 1, port(app) + " in range web");
            assertTrue(management == first + 2 || management == first + 3, management + " in range management");
            try (PortManager pm = PortManager.builder().store(store).build()) {
                assertEquals(Optional.of("web"), pm.find("shop", "http").orElseThrow().range());
                assertEquals(Optional.of("management"), pm.find("shop", "management").orElseThrow().range());
            }
        }
    }

    @Test
    void twoApps_whenRunningTogether_getDifferentPortsFromTheRange() {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        try (ConfigurableApplicationContext shop = TestApp.start(registry.args("shop"));
             ConfigurableApplicationContext billing = TestApp.start(registry.args("billing"))) {
            assertNotEquals(port(shop), port(billing));
            assertEquals("hello from shop", TestRegistry.get(port(shop), "/hello").body());
            assertEquals("hello from billing", TestRegistry.get(port(billing), "/hello").body());
            assertEquals(port(shop), registry.find("shop", "http").orElseThrow().port());
            assertEquals(port(billing), registry.find("billing", "http").orElseThrow().port());
        }
    }

    @Test
    void allocation_whenTheWebServerIsUp_recordsThisProcessAndTheHealthEndpoint(CapturedOutput output) {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        try (ConfigurableApplicationContext app = TestApp.start(registry.args("shop"))) {
            int port = port(app);
            Allocation a = registry.find("shop", "http").orElseThrow();
            assertEquals(PID, a.processId().orElseThrow());
            assertEquals(Optional.of(URI.create("http://localhost:" + port + "/actuator/health")), a.healthEndpoint());
            assertEquals("server.port of Spring Boot application shop", a.description());
            assertEquals(Optional.of(TestRegistry.RANGE), a.range());
            assertTrue(output.getOut().contains("server.port=" + port + " from the registry " + registry.store
                    + " (shop/http, range " + TestRegistry.RANGE + ")"), output.getOut());
            assertTrue(output.getOut().contains("server.port shop/http: recorded process " + PID
                    + " and health endpoint http://localhost:" + port + "/actuator/health in the registry "
                    + registry.store), output.getOut());
        }
    }

    @Test
    void managementPort_whenMapped_isItsOwnServiceOnItsOwnPortAndServesHealth() throws Exception {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        try (ConfigurableApplicationContext app = TestApp.start(registry.args("shop",
                "--portmanager.ports.management.server.port=management"))) {
            int server = port(app);
            int management = app.getEnvironment().getProperty("local.management.port", Integer.class);
            assertNotEquals(server, management);
            Allocation http = registry.find("shop", "http").orElseThrow();
            Allocation mgmt = registry.find("shop", "management").orElseThrow();
            assertEquals(server, http.port());
            assertEquals(management, mgmt.port());
            URI health = URI.create("http://localhost:" + management + "/actuator/health");
            assertEquals(Optional.of(health), http.healthEndpoint());
            assertEquals(Optional.of(health), mgmt.healthEndpoint());
            assertEquals(PID, mgmt.processId().orElseThrow());
            HttpResponse<String> answer = TestRegistry.get(management, "/actuator/health");
            assertEquals(200, answer.statusCode());
            assertEquals("UP", new ObjectMapper().readTree(answer.body()).get("status").asText());
            assertEquals(404, TestRegistry.get(server, "/actuator/health").statusCode());
        }
    }

    @Test
    void serverPort_whenSetExplicitly_isLeftAloneAndTheLogSaysSo(CapturedOutput output) {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        int mine = FreeSpan.find(1);
        try (ConfigurableApplicationContext app = TestApp.start(registry.args("shop", "--server.port=" + mine))) {
            assertEquals(mine, port(app));
            assertEquals("hello from shop", TestRegistry.get(mine, "/hello").body());
            assertEquals(Optional.empty(), registry.find("shop", "http"));
            assertTrue(output.getOut().contains("server.port=" + mine + " is set explicitly: left alone, no port "
                    + "taken from the registry for service 'http'"), output.getOut());
        }
    }

    @Test
    void serverPortZero_whenSetByTheUser_isReplacedByTheRegistryPort() {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        try (ConfigurableApplicationContext app = TestApp.start(registry.args("shop", "--server.port=0"))) {
            assertEquals(registry.find("shop", "http").orElseThrow().port(), port(app));
        }
    }

    @Test
    void serverPortZero_whenSetByASpringTest_staysRandom() {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource(
                PortManagerEnvironmentPostProcessor.TEST_PROPERTIES, Map.of("server.port", "0")));
        SpringApplication application = new SpringApplication(TestApp.class);
        application.setEnvironment(environment);
        try (ConfigurableApplicationContext app = application.run(registry.args("shop"))) {
            assertTrue(port(app) > 0);
            assertEquals(Optional.empty(), registry.find("shop", "http"));
            assertEquals(List.of(), app.getBean(RegistryPorts.class).assignments());
        }
    }

    @Test
    void starter_whenDisabled_takesNoPortAndOpensNoRegistry(CapturedOutput output) {
        Path file = tmp.resolve("never.json");
        try (ConfigurableApplicationContext app = TestApp.start("--spring.application.name=shop",
                "--portmanager.store=json:" + file, "--portmanager.enabled=false", "--server.port=0")) {
            assertTrue(port(app) > 0);
            assertFalse(Files.exists(file), "no registry file");
            assertEquals(0, app.getBeansOfType(RegistryPorts.class).size());
            assertEquals(0, app.getBeansOfType(PortManagerEndpoint.class).size());
            assertEquals(0, app.getBeansOfType(PortManagerHealthIndicator.class).size());
            assertTrue(output.getOut().contains("portmanager.enabled=false: no port is taken from the registry"),
                    output.getOut());
        }
    }

    @Test
    void application_withoutAWebServer_takesNoPort() {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        SpringApplication application = new SpringApplication(TestApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext app = application.run(registry.args("batch"))) {
            assertEquals(Optional.empty(), registry.find("batch", "http"));
            assertEquals(Optional.empty(), app.getBean(RegistryPorts.class).manager());
        }
    }

    @Test
    void actuator_listsThisApplicationsAllocationsAndReportsTheRegistry() throws Exception {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        try (ConfigurableApplicationContext app = TestApp.start(registry.args("shop",
                "--management.endpoints.web.exposure.include=health,portmanager",
                "--management.endpoint.health.show-details=always"))) {
            int port = port(app);
            ObjectMapper json = new ObjectMapper();
            JsonNode listing = json.readTree(TestRegistry.get(port, "/actuator/portmanager").body());
            assertEquals(registry.store, listing.get("store").asText());
            JsonNode entry = listing.get("ports").get(0);
            assertEquals(1, listing.get("ports").size());
            assertEquals("server.port", entry.get("property").asText());
            assertEquals(port, entry.get("port").asInt());
            assertEquals("shop", entry.get("project").asText());
            assertEquals("http", entry.get("service").asText());
            assertEquals(PID, entry.get("allocation").get("process_id").asLong());
            assertEquals(TestRegistry.RANGE, entry.get("allocation").get("range").asText());
            assertEquals("http://localhost:" + port + "/actuator/health",
                    entry.get("allocation").get("health_endpoint").asText());

            JsonNode healthy = json.readTree(TestRegistry.get(port, "/actuator/health").body());
            JsonNode component = healthy.get("components").get("portManager");
            assertEquals("UP", component.get("status").asText());
            assertEquals(registry.store, component.get("details").get("store").asText());
            assertEquals(port, component.get("details").get("ports").get("server.port").asInt());

            try (PortManager pm = registry.open()) {
                assertTrue(pm.release("shop", "http"));
            }
            HttpResponse<String> down = TestRegistry.get(port, "/actuator/health");
            assertEquals(503, down.statusCode());
            component = json.readTree(down.body()).get("components").get("portManager");
            assertEquals("DOWN", component.get("status").asText());
            assertEquals("server.port: shop/http no longer holds a port in the registry (released?); this "
                    + "application still listens on " + port + "; restart it to take a port again",
                    component.get("details").get("problems").get(0).asText());
        }
    }

    @Test
    void metrics_withMicrometerPresent_theRegistrysMetersAreBound() throws Exception {
        TestRegistry registry = TestRegistry.create(tmp, 5);
        try (ConfigurableApplicationContext app = TestApp.start(registry.args("shop",
                "--management.endpoints.web.exposure.include=metrics"))) {
            int port = port(app);
            assertEquals(5.0, meter(port, "portmanager.range.capacity?tag=range:" + TestRegistry.RANGE));
            assertEquals(1.0, meter(port, "portmanager.range.allocated?tag=range:" + TestRegistry.RANGE),
                    "this application's port");
            assertEquals(1.0, meter(port, "portmanager.allocations?tag=status:active"));
        }
    }

    private static double meter(int port, String nameAndTag) throws Exception {
        String body = TestRegistry.get(port, "/actuator/metrics/" + nameAndTag).body();
        return new ObjectMapper().readTree(body).get("measurements").get(0).get("value").asDouble();
    }

    static int port(ConfigurableApplicationContext app) {
        return app.getEnvironment().getProperty("local.server.port", Integer.class);
    }
}
