package dev.portmanager.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Claims a free port for each property of {@code <ports>} and sets it as a project property, so that
 * {@code ${http.port}} works in the configuration of every later plugin of the module (a server's port, Surefire's
 * and Failsafe's {@code <systemPropertyVariables>} for forked tests). The claims are made in the claim registry JUnit's
 * {@code @FreePort} uses and are owned by the Maven JVM: no parallel module ({@code -T 4}), other build or test JVM
 * of the machine is handed these ports until this build ends (even by {@code kill -9}) or the {@code release} goal
 * frees them.
 *
 * <p>Bound by default to {@code process-test-classes}, as build-helper's {@code reserve-network-port}: after the code
 * and tests compiled (a build that fails to compile claims nothing) and before both Surefire's {@code test} and the
 * integration-test phases, so unit tests, servers started in {@code pre-integration-test} and Failsafe all see the
 * ports.
 *
 * <p>Thread-safe: the modules of a parallel build share one holder of claims for the JVM.
 */
@Mojo(name = "reserve", defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES, threadSafe = true)
public class ReserveMojo extends AbstractMojo {
    /** The names of the properties to set, each to a port of its own: {@code <ports><port>http.port</port></ports>}. */
    @Parameter
    private List<String> ports;

    /**
     * A range of the claim registry to claim from, such as {@code web} (the registry starts with the six Atlas ranges:
     * web 8080-8099, database 5432-5439, testing 9000-9099, debug 5555-5564, api 3000-3099, cache 6379-6389). Without
     * it, any free port outside the OS ephemeral range.
     */
    @Parameter(property = "portmanager.range")
    private String range;

    /**
     * The claim registry's store URI. Without it, the registry JUnit's {@code @FreePort} uses:
     * {@code -Dportmanager.claims}, else {@code claims.json} in the user's private claim folder
     * ({@code $XDG_RUNTIME_DIR/portmanager}, else {@code <java.io.tmpdir>/portmanager-<user>}).
     */
    @Parameter(property = "portmanager.claims")
    private String store;

    /**
     * Whether each port is got-or-allocated under the module's artifactId (project artifactId, service the property),
     * searched from a start hashed from both: the same port on every build (and on
     * {@code mvn portmanager:reserve jetty:run}) as long as nobody else holds it.
     */
    @Parameter(property = "portmanager.sticky", defaultValue = "false")
    private boolean sticky;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** Creates the mojo; Maven calls this. */
    public ReserveMojo() {
        // Configured by Maven through its fields.
    }

    /**
     * Claims the ports and sets the properties.
     *
     * @throws MojoExecutionException if {@code <ports>} is empty or names a property twice, {@code <range>} names no
     *                                range of the registry, or the registry cannot be opened
     * @throws MojoFailureException   if the range has no free port left, or the registry fails to record the claims
     */
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        BuildClaims.Request request = new BuildClaims.Request(module(project), project.getArtifactId(), ports,
                range == null || range.isBlank() ? null : range.strip(), sticky, store);
        Map<String, Integer> claimed = BuildClaims.JVM.reserve(request, getLog());
        claimed.forEach((property, port) -> {
            project.getProperties().setProperty(property, String.valueOf(port));
            String given = session.getUserProperties().getProperty(property);
            if (given != null) {
                getLog().warn("-D" + property + "=" + given + " given on the command line wins over the claimed port "
                        + port + " in plugin configuration; leave it out to use the claimed port");
            }
        });
        getLog().info(claimed.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining(", ")) + (sticky ? " (sticky)" : "")
                + ": claimed for this build; free again when it ends or at the release goal");
    }

    /** The key a module's claims are kept under: {@code groupId:artifactId}, unique in a reactor. */
    static String module(MavenProject project) {
        return project.getGroupId() + ":" + project.getArtifactId();
    }
}
