package dev.portmanager.cli;

import dev.portmanager.PortManagerException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Turns failures into one line on stderr and an exit code: 2 for usage (bad arguments), 1 for the rest. The stack
 * trace only with {@code --verbose}.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    private final Portman root;

    Errors(Portman root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println("portman " + cl.getCommandName() + ": " + message(e));
        if (root.verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        boolean usage = e instanceof IllegalArgumentException && !(e instanceof PortManagerException);
        return usage ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Bad arguments: one line, and where to read more. */
    static final class Usage implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            CommandLine cl = e.getCommandLine();
            PrintWriter err = cl.getErr();
            err.println("portman: " + e.getMessage() + " (see: " + cl.getCommandSpec().qualifiedName() + " --help)");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
    }
}
