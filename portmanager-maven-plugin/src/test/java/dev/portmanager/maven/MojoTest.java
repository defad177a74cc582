package dev.portmanager.maven;

import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The goals as Maven drives them (fields injected, {@code execute()} called) on a real JSON registry: what they set
 * and what they say. Real builds are {@link ReserveGoalIT}'s.
 */
class MojoTest {
    @TempDir
    Path dir;

    /** Keeps every info and warning line. */
    static final class Lines extends SystemStreamLog {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void info(CharSequence content) {
            lines.add("info: " + content);
        }

        @Override
        public void warn(CharSequence content) {
            lines.add("warn: " + content);
        }
    }

    private static void inject(Object mojo, String field, Object value) throws ReflectiveOperationException {
        Field f = mojo.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(mojo, value);
    }

    @SuppressWarnings("deprecation") // the constructor a test can call without a container
    private static MavenSession session(MavenProject project, Properties userProperties) {
        DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
        request.setUserProperties(userProperties);
        return new MavenSession(null, request, new DefaultMavenExecutionResult(), project);
    }

    private static <T extends AbstractMojo> Lines run(T mojo, MavenProject project) throws Exception {
        inject(mojo, "project", project);
        Lines log = new Lines();
        mojo.setLog(log);
        mojo.execute();
        return log;
    }

    @Test
    void reserve_setsProjectProperties_warnsOfACommandLineValue_andReleaseSaysWhatItFreed() throws Exception {
        MavenProject project = new MavenProject();
        project.setGroupId("dev.example");
        project.setArtifactId("mojo-test");
        Properties cli = new Properties();
        cli.setProperty("db.port", "5432");
        ReserveMojo reserve = new ReserveMojo();
        inject(reserve, "ports", List.of("http.port", "db.port"));
        inject(reserve, "store", "json:" + dir.resolve("claims.json"));
        inject(reserve, "session", session(project, cli));

        Lines reserved = run(reserve, project);
        String http = project.getProperties().getProperty("http.port");
        String db = project.getProperties().getProperty("db.port");
        assertEquals(List.of("warn: -Ddb.port=5432 given on the command line wins over the claimed port " + db
                + " in plugin configuration; leave it out to use the claimed port", "info: http.port = " + http
                + ", db.port = " + db + ": claimed for this build; free again when it ends or at the release goal"),
                reserved.lines);

        assertEquals(List.of("info: released http.port = " + http + ", db.port = " + db),
                run(new ReleaseMojo(), project).lines);
        assertEquals(List.of("info: nothing to release: the reserve goal claimed no port for this module in this "
                + "build"), run(new ReleaseMojo(), project).lines);
    }
}
