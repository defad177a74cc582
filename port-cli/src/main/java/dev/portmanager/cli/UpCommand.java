package dev.portmanager.cli;

import dev.portmanager.launch.LaunchReport;
import dev.portmanager.launch.Launcher;
import dev.portmanager.launch.Supervisor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@code portman up [PROJECT] [--services a,b] [--strategy S] [--check-only] [--watch]}. */
@Command(name = "up", description = {"Start a project's defined services on their ports, in dependency order, each "
        + "after what it depends on answers its health check.",
        "Every port is checked first; a port held by another process follows --strategy (dry-run: report it and start "
        + "nothing). A failed start stops what was started and says why; output goes to one log file per service.",
        "Exits 0 when all run, 3 on a conflict, 1 when a service failed to start."})
final class UpCommand extends PortmanCommand {
    @Mixin
    LaunchTarget target;

    @Mixin
    StartOptions start;

    @Option(names = "--check-only", description = "check the ports and say what up would do; start nothing")
    boolean checkOnly;

    @Option(names = "--watch", description = "stay in the foreground and restart crashed services (each up to its "
            + "--restarts, with backoff); Ctrl-C stops the services and exits")
    boolean watch;

    @Override
    public Integer call() throws InterruptedException {
        Launcher launcher = start.apply(target.launcher(root)).build();
        String project = target.project(manager());
        if (checkOnly) {
            return LaunchTarget.print(out(), launcher.check(project, target.services));
        }
        LaunchReport up = launcher.up(project, target.services);
        int code = LaunchTarget.print(out(), up);
        if (!watch || code != 0) {
            return code;
        }
        return watch(launcher, project);
    }

    /** Supervises until SIGINT or SIGTERM, then stops the services. */
    private int watch(Launcher launcher, String project) throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<Supervisor> supervisor = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            // End the watch first, so that nothing restarts the services while down stops them.
            Supervisor s = supervisor.get();
            if (s != null) {
                s.close();
            }
            interrupted.countDown();
            try {
                stopped.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "portman-up-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        root.printWarningsAsTheyCome();
        out().line("watching " + project + "; Ctrl-C stops the services");
        out().flush();
        try (Supervisor s = launcher.supervise(project, target.services, message -> {
            out().line(message);
            out().flush();
        })) {
            supervisor.set(s);
            interrupted.await();
        }
        try {
            out().line("stopping " + project);
            LaunchTarget.print(out(), launcher.down(project, target.services));
            out().flush();
        } finally {
            stopped.countDown();
        }
        return 0;
    }
}
