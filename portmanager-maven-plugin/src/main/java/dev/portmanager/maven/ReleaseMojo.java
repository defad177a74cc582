package dev.portmanager.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Releases the ports the {@code reserve} goal claimed for this module in this build, so that other builds may be
 * handed them before this one ends (the claims lapse by themselves when the Maven JVM ends). Bound by default to
 * {@code post-integration-test}, after the servers and tests that used the ports. The project properties keep their
 * values. A module that reserved nothing releases nothing and does not fail.
 *
 * <p>Thread-safe.
 */
@Mojo(name = "release", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class ReleaseMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** Creates the mojo; Maven calls this. */
    public ReleaseMojo() {
        // Configured by Maven through its fields.
    }

    /** Releases this module's claims; never throws (a release that fails is logged: the claim lapses anyway). */
    @Override
    public void execute() {
        Map<String, Integer> released = BuildClaims.JVM.release(ReserveMojo.module(project), getLog());
        if (released.isEmpty()) {
            getLog().info("nothing to release: the reserve goal claimed no port for this module in this build");
        } else {
            getLog().info("released " + released.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
    }
}
