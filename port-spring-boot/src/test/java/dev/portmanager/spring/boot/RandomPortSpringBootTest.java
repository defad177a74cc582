package dev.portmanager.spring.boot;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Spring test that asks for a random port ({@code webEnvironment = RANDOM_PORT} sets {@code server.port=0}) keeps
 * it: the starter takes no port from the registry, so the test never collides with a running instance of the
 * application on its registered port.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.application.name=shop", "portmanager.store=json:target/random-port-test/ports.json"})
class RandomPortSpringBootTest {
    @Value("${local.server.port}")
    int port;

    @Autowired
    RegistryPorts ports;

    @Test
    void serverPort_underSpringBootTestWithARandomPort_staysRandom() {
        assertEquals(List.of(), ports.assignments());
        assertEquals("hello from shop", TestRegistry.get(port, "/hello").body());
    }
}
