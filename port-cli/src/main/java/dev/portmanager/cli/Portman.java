package dev.portmanager.cli;

import dev.portmanager.PortManager;
import dev.portmanager.PortManagerBuilder;
import dev.portmanager.probe.SystemProbe;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The {@code portman} command: global options, the store, the output, and the exit codes (0 done, 1 error, 2 usage,
 * 3 a conflict or unhealthy service was found).
 */
@Command(name = "portman", mixinStandardHelpOptions = true, versionProvider = Portman.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Gives every service a port no other service on its host is handed, and shows who holds which.",
                "", "Store: --store URI, else $PORTMANAGER_STORE, else design/worktrees/ports.json found from the "
                + "working directory upward, else ~/.portmanager/ports.json."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:an error (one line on stderr says what and what to do)", "2:usage error",
                "3:a conflict or an unhealthy service was found"},
        subcommands = {GetCommand.class, AllocateCommand.class, ReserveCommand.class, ReleaseCommand.class,
                UpdateCommand.class, ReassignCommand.class, ListCommand.class, ShowCommand.class, RangesCommand.class,
                DefineRangeCommand.class, SummaryCommand.class, HistoryCommand.class, AvailableCommand.class,
                AuditCommand.class, ConflictsCommand.class, EnvCommand.class, ExportCommand.class, ImportCommand.class,
                MigrateCommand.class, ScanCommand.class, CheckCommand.class, KillCommand.class, AdoptCommand.class,
                ValidateComposeCommand.class, MonitorCommand.class, DefineCommand.class, UndefineCommand.class,
                UpCommand.class, DownCommand.class, RestartCommand.class, StatusCommand.class, McpCommand.class,
                CommandLine.HelpCommand.class})
public final class Portman implements Callable<Integer> {
    /** Exit code: a conflict or an unhealthy service was found. */
    static final int FOUND_PROBLEMS = 3;

    @Option(names = "--store", paramLabel = "URI", scope = ScopeType.INHERIT,
            description = "the registry: json:<path>, jdbc:h2:<...>, jdbc:postgresql://<host>/<db>, memory:")
    String store;

    @Option(names = "--host", paramLabel = "HOST", scope = ScopeType.INHERIT,
            description = "the host ports are on (default localhost); give each host its own name on a shared registry")
    String host;

    @Option(names = {"-e", "--env"}, paramLabel = "ENV", scope = ScopeType.INHERIT,
            description = "the environment, such as dev or prod (default: default)")
    String environment;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print one JSON document on stdout")
    boolean json;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "log what happens, and print stack traces of errors")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private PortManager manager;
    private SystemProbe probe;
    private Output output;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** The manager over the chosen store, opened on first use and closed when the command ends. */
    PortManager manager() {
        if (manager == null) {
            manager = builder("portman").build();
        }
        return manager;
    }

    /** A manager builder with this run's store, host, environment and probe. */
    PortManagerBuilder builder(String name) {
        PortManagerBuilder b = PortManager.builder().name(name).probe(probe());
        if (store != null) {
            b.store(store);
        }
        if (host != null) {
            b.host(host);
        }
        if (environment != null) {
            b.environment(environment);
        }
        return b;
    }

    /** The probe: the OS socket table, shared by every command of this run. */
    SystemProbe probe() {
        if (probe == null) {
            probe = SystemProbe.create();
        }
        return probe;
    }

    /** Where commands print. */
    Output output() {
        if (output == null) {
            output = new Output(spec.commandLine().getOut(), json);
        }
        return output;
    }

    private void close() {
        if (manager != null) {
            manager.close();
        }
        if (output != null) {
            output.flush();
        }
    }

    /** Runs {@code portman}. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs {@code portman} with the arguments and returns its exit code. */
    static int run(String... args) {
        configureLogging(args);
        Portman root = new Portman();
        CommandLine cl = new CommandLine(root);
        // portman get --help as well as portman help get: every usage error points there.
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        cl.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new Errors(root));
        cl.setParameterExceptionHandler(new Errors.Usage());
        try {
            return cl.execute(args);
        } finally {
            root.close();
        }
    }

    /** slf4j-simple reads its level once, at the first logger: warn, or debug with -v. */
    private static void configureLogging(String[] args) {
        boolean verbose = false;
        for (String a : args) {
            verbose |= a.equals("-v") || a.equals("--verbose");
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Portman.class.getPackage().getImplementationVersion();
            return new String[] {"portman " + (v == null ? "(development build)" : v)};
        }
    }
}
