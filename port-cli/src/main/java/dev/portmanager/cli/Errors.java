package dev.portmanager.cli;

import dev.portmanager.PortManagerException;
import dev.portmanager.wire.ErrorJson;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * Turns failures into one line on stderr and an exit code: 2 for usage (bad arguments), 1 for the rest. With
 * {@code --json} the failure is also a JSON document on stdout ({@code {"error": kind, "message": ...}}), so a script
 * never parses empty output. The stack trace only with {@code --verbose}.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    private final Portman root;

    Errors(Portman root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        return report(e, cl.getCommandName(), cl.getErr());
    }

    /**
     * Prints the failure of {@code portman COMMAND} and answers its exit code: for picocli's runs and
     * {@link QuickPath}'s alike.
     */
    int report(Exception e, String command, PrintWriter err) {
        String message = Advice.message(e);
        err.println("portman " + command + ": " + message);
        if (root.verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        if (root.json) {
            root.output().print(ErrorJson.error(ErrorJson.kind(e), message));
            root.output().flush();
        }
        boolean usage = e instanceof IllegalArgumentException && !(e instanceof PortManagerException);
        return usage ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
    }

    /** Bad arguments: one line, and where to read more. */
    static final class Usage implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            CommandLine cl = e.getCommandLine();
            String message = message(e) + " (see: " + cl.getCommandSpec().qualifiedName() + " --help)";
            PrintWriter err = cl.getErr();
            err.println("portman: " + message);
            err.flush();
            if (Portman.asked(args, "--json")) {
                cl.getOut().println(Output.text(ErrorJson.error(ErrorJson.USAGE, message)));
                cl.getOut().flush();
            }
            return CommandLine.ExitCode.USAGE;
        }

        /**
         * picocli's message, with its parser words replaced by the flag or parameter as the user typed it:
         * {@code --protocol: protocol 'sctp' is not one of: tcp, udp, both}, not "cannot convert 'sctp' to Protocol
         * (java.lang.IllegalArgumentException ...)"; {@code PORT: 'abc' is not a number}, not "positional parameter at
         * index 0..*".
         */
        static String message(CommandLine.ParameterException e) {
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                    && unmatched.getUnmatched().stream().noneMatch(a -> a.startsWith("-"))) {
                List<String> extra = unmatched.getUnmatched();
                return (extra.size() == 1 ? "unexpected argument " : "unexpected arguments ") + quoted(extra);
            }
            CommandLine.Model.ArgSpec arg = e.getArgSpec();
            Throwable cause = e.getCause();
            if (arg == null || cause == null) {
                return e.getMessage();
            }
            String name = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
            String why = cause.getMessage();
            return name + ": " + (why == null || why.isBlank() ? "'" + e.getValue() + "' is not valid here" : why);
        }

        private static String quoted(List<String> values) {
            StringBuilder b = new StringBuilder();
            for (String v : values) {
                b.append(b.length() == 0 ? "" : ", ").append('\'').append(v).append('\'');
            }
            return b.toString();
        }
    }
}
