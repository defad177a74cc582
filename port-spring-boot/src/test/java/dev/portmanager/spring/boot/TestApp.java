package dev.portmanager.spring.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A real Spring Boot web application (embedded Tomcat) that answers {@code GET /hello} with its name. */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class TestApp {
    private final Environment environment;

    TestApp(Environment environment) {
        this.environment = environment;
    }

    @GetMapping("/hello")
    String hello() {
        return "hello from " + environment.getProperty("spring.application.name");
    }

    /** Runs the application in this JVM until it is closed. */
    static ConfigurableApplicationContext start(String... args) {
        return new SpringApplication(TestApp.class).run(args);
    }

    /** Runs the application as its own process, for tests that need it in another JVM. */
    public static void main(String[] args) {
        SpringApplication.run(TestApp.class, args);
    }
}
