package dev.portmanager.examples;

import java.nio.file.Path;

/** {@code examples/target/examples.jar}: the example programs with everything they need, run as a user runs them. */
final class ExamplesJar {
    private ExamplesJar() {
    }

    static Path path() {
        String jar = System.getProperty("examples.jar");
        if (jar == null) {
            throw new IllegalStateException("examples.jar is not set: run these tests with mvn verify (failsafe)");
        }
        return Path.of(jar);
    }
}
