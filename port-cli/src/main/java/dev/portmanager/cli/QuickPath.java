package dev.portmanager.cli;

import java.io.PrintWriter;

/**
 * The command lines scripts run most, {@code portman [GLOBAL] get PROJECT SERVICE [-r RANGE]} and
 * {@code portman [GLOBAL] scan}, run without picocli. picocli builds its model of a command by reflection at every
 * start: on Java 17 that is about 90 ms of the 300 ms a {@code portman get} takes (issue 20, docs/BENCHMARKS.md).
 *
 * <p>Only the plain forms are taken: the global options {@code --store}, {@code --host}, {@code -e}/{@code --env}
 * (each once, its value the next word or after {@code =}) and {@code --json}, anywhere on the line as picocli allows
 * them; {@code get} with exactly two names and at most one {@code -r}/{@code --range}; {@code scan} alone. Any other
 * word (another option, {@code --help}, {@code -v}, {@code --}, an argument file {@code @...}, a value starting with
 * {@code -} or empty, a missing or extra name, an option given twice) leaves the line to picocli, which parses these
 * forms to the same fields: the commands run the same code and report failures through the same {@link Errors}, so
 * output and exit code are the same either way (QuickPathTest runs each form through both).
 */
final class QuickPath {
    private final String command;
    private String store;
    private String host;
    private String environment;
    private boolean json;
    private String range;
    private final String[] names = new String[2];
    private int nameCount;

    private QuickPath(String command) {
        this.command = command;
    }

    /** The quick run of {@code args}, or null when picocli must parse them. */
    static QuickPath of(String[] args) {
        String name = Portman.commandName(args);
        if (!"get".equals(name) && !"scan".equals(name)) {
            return null;
        }
        QuickPath q = new QuickPath(name);
        boolean afterCommand = false;
        for (int i = 0; i < args.length; i++) {
            String word = args[i];
            if (!afterCommand && word.equals(name)) {
                afterCommand = true;
                continue;
            }
            int eq = word.startsWith("--") ? word.indexOf('=') : -1;
            String option = eq > 0 ? word.substring(0, eq) : word;
            boolean taken;
            if (option.equals("--json") && eq < 0) {
                taken = !q.json;
                q.json = true;
            } else if (q.takesValue(option, afterCommand)) {
                String value = eq > 0 ? word.substring(eq + 1) : i + 1 < args.length ? args[++i] : null;
                taken = q.set(option, value);
            } else {
                taken = afterCommand && eq < 0 && q.command.equals("get") && plain(word) && q.nameCount < 2;
                if (taken) {
                    q.names[q.nameCount++] = word;
                }
            }
            if (!taken) {
                return null;
            }
        }
        return q.command.equals("scan") || q.nameCount == 2 ? q : null;
    }

    /** A word picocli reads as a value: not an option, not an argument file, not empty. */
    private static boolean plain(String word) {
        return word != null && !word.isEmpty() && !word.startsWith("-") && !word.startsWith("@");
    }

    private boolean takesValue(String option, boolean afterCommand) {
        return switch (option) {
            case "--store", "--host", "-e", "--env" -> true;
            case "-r", "--range" -> afterCommand && command.equals("get");
            default -> false;
        };
    }

    /** Sets an option given once with a plain value: false otherwise (picocli then says what is wrong). */
    private boolean set(String option, String value) {
        if (!plain(value)) {
            return false;
        }
        switch (option) {
            case "--store" -> {
                if (store != null) {
                    return false;
                }
                store = value;
            }
            case "--host" -> {
                if (host != null) {
                    return false;
                }
                host = value;
            }
            case "-e", "--env" -> {
                if (environment != null) {
                    return false;
                }
                environment = value;
            }
            default -> {
                if (range != null) {
                    return false;
                }
                range = value;
            }
        }
        return true;
    }

    /** Runs the command as picocli would after parsing the same line. */
    int run(Portman root, PrintWriter err) {
        root.store = store;
        root.host = host;
        root.environment = environment;
        root.json = json;
        PortmanCommand c;
        if (command.equals("get")) {
            GetCommand get = new GetCommand();
            get.options.project = names[0];
            get.options.service = names[1];
            get.options.range = range;
            c = get;
        } else {
            c = new ScanCommand();
        }
        c.root = root;
        try {
            return c.call();
        } catch (Exception e) {
            return new Errors(root).report(e, command, err);
        }
    }
}
