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

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The {@code portman} command: global options, the store, the output, and the exit codes (0 done, 1 error, 2 usage,
 * 3 a conflict or unhealthy service was found).
 */
@Command(name = "portman", mixinStandardHelpOptions = true, versionProvider = Portman.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Gives every service a port no other service on its host is handed, and shows who holds which.",
                "", "Store: --store URI, else $PORTMANAGER_STORE, else, inside a git repository, the "
                + "design/worktrees/ports.json at the root of its main worktree (shared by every linked worktree), "
                + "else ~/.portmanager/ports.json."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:an error (one line on stderr says what and what to do)", "2:usage error",
                "3:a conflict or an unhealthy service was found"})
public final class Portman implements Callable<Integer> {
    /** Exit code: a conflict or an unhealthy service was found. */
    static final int FOUND_PROBLEMS = 3;

    /**
     * Every command, in the order the usage lists them. Registered in code rather than in {@code @Command}: picocli
     * builds the model of every registered command by reflection, about half the start-up of {@code portman get}, so
     * a run registers only the command it runs when its name is plain to see (see {@link #commandName}).
     */
    static final List<Class<?>> COMMANDS = List.of(GetCommand.class, AllocateCommand.class, ReserveCommand.class,
            ReleaseCommand.class, UpdateCommand.class, ReassignCommand.class, ListCommand.class, ShowCommand.class,
            RangesCommand.class, DefineRangeCommand.class, SummaryCommand.class, HistoryCommand.class,
            AvailableCommand.class, AuditCommand.class, ConflictsCommand.class, ResolveCommand.class,
            EnvCommand.class, ExportCommand.class, ImportCommand.class, MigrateCommand.class, ScanCommand.class, CheckCommand.class, KillCommand.class,
            AdoptCommand.class, ValidateComposeCommand.class, MonitorCommand.class, DefineCommand.class,
            UndefineCommand.class, UpCommand.class, DownCommand.class, RestartCommand.class, StatusCommand.class,
            ServeCommand.class, McpCommand.class, DocsCommand.class, CommandLine.HelpCommand.class);
    /** The global options that take a value. */
    private static final Set<String> VALUED = Set.of("--store", "--host", "-e", "--env");
    /** The global options that take none and do not change what the commands are (help and version do). */
    private static final Set<String> FLAGS = Set.of("--json", "-v", "--verbose");

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
    private PrintWriter out;
    private Output output;
    private Warnings warnings;

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

    /** Prints the library's warnings as they come from now on: for commands that run until interrupted. */
    void printWarningsAsTheyCome() {
        if (warnings != null) {
            warnings.printFromNowOn();
        }
    }

    /** Where commands print. */
    Output output() {
        if (output == null) {
            output = new Output(out, json);
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
        return run(true, args);
    }

    /**
     * Runs {@code portman}: through {@link QuickPath} when {@code quick} and it takes the line, else through picocli.
     */
    static int run(boolean quick, String... args) {
        boolean verbose = asked(args, "-v") || asked(args, "--verbose");
        configureLogging(verbose);
        Portman root = new Portman();
        PrintStream terminal = System.err;
        root.out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(terminal, true, StandardCharsets.UTF_8);
        root.warnings = new Warnings(terminal, verbose);
        QuickPath path = quick ? QuickPath.of(args) : null;
        int code = CommandLine.ExitCode.SOFTWARE;
        try {
            code = path != null ? path.run(root, err) : parseAndRun(root, args, err);
            return code;
        } finally {
            root.close();
            root.warnings.end(code == CommandLine.ExitCode.SOFTWARE || code == CommandLine.ExitCode.USAGE);
        }
    }

    /** Runs the arguments through picocli: every command line {@link QuickPath} does not take. */
    private static int parseAndRun(Portman root, String[] args, PrintWriter err) {
        CommandLine cl = new CommandLine(root);
        String name = commandName(args);
        for (Class<?> command : COMMANDS) {
            if (name == null || name.equals(command.getAnnotation(Command.class).name())) {
                cl.addSubcommand(command);
            }
        }
        if (cl.getSubcommands().isEmpty()) {
            // Not a command's name: every command, so the usage error lists them and suggests the nearest.
            COMMANDS.forEach(cl::addSubcommand);
        }
        // portman get --help as well as portman help get: every usage error points there.
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
        cl.registerConverter(Integer.class, Portman::number);
        cl.registerConverter(int.class, Portman::number);
        cl.setOut(root.out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new Errors(root));
        cl.setParameterExceptionHandler(new Errors.Usage());
        return cl.execute(args);
    }

    /**
     * The command the arguments run, when nothing but global options precedes it: {@code get} for
     * {@code --store json:p.json get a b}; null when the root itself must see every command (help, version, an
     * argument file, an option it does not know, no command at all), which then parses as it always did.
     */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED.contains(a)) {
                i++;
            } else if (FLAGS.contains(a) || a.startsWith("--store=") || a.startsWith("--host=")
                    || a.startsWith("--env=") || (a.startsWith("-e") && !a.startsWith("-e-") && a.length() > 2)) {
                continue;
            } else {
                return a.startsWith("-") || a.startsWith("@") || a.equals("help") ? null : a;
            }
        }
        return null;
    }

    /**
     * Whether the command line has {@code flag} before any {@code --} (checked before picocli parses it, for what must
     * be known even when parsing fails: the logging level, a JSON error).
     */
    static boolean asked(String[] args, String flag) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals(flag)) {
                return true;
            }
        }
        return false;
    }

    /** Reads a whole number, saying so when it is not one (picocli would say "is not an int"). */
    private static Integer number(String text) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a whole number");
        }
    }

    /**
     * slf4j-simple reads its settings once, at the first logger: warnings only, without the logger's name (see
     * {@link Warnings}), none of the connection pool's, or everything from debug on, with the logger's name, with -v.
     */
    private static void configureLogging(boolean verbose) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", String.valueOf(verbose));
        // The pool's own warnings (a broken connection dropped, with its stack trace) are what the store reports in
        // one line anyway; shown with -v only.
        System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", verbose ? "debug" : "off");
    }

    /** The project's version, written into the jar when it is built. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Portman.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing from the portman jar; rebuild it with mvn "
                            + "-pl port-cli -am package");
                }
                p.load(in);
            }
            return new String[] {"portman " + p.getProperty("version")};
        }
    }
}
