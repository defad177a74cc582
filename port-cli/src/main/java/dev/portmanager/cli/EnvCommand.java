package dev.portmanager.cli;

import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.EnvExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portman env [PROJECT] [--format shell|dotenv|json]}. */
@Command(name = "env", description = {"Print environment variables for a project's ports (all projects without one):",
        "export CONSILIO_API_PORT='3101' and CONSILIO_API_URL for TCP ports.",
        "Use: eval \"$(portman env consilio)\", or portman env consilio --format dotenv > .env"})
final class EnvCommand extends PortmanCommand {
    /** The output formats. */
    enum Format { shell, dotenv, json }

    @Parameters(paramLabel = "PROJECT", arity = "0..1")
    String project;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "shell (default), dotenv or json")
    Format format = Format.shell;

    @Override
    public Integer call() {
        EnvExport env = manager().environment(project);
        if (project != null && env.variables().isEmpty()) {
            throw new AllocationNotFoundException("project '" + project + "' holds no ports on " + manager().host()
                    + " (environment " + manager().environment() + ") in " + manager().storeName()
                    + "; portman list shows what is allocated");
        }
        Format f = out().json() ? Format.json : format;
        String text = f == Format.json ? env.json() : f == Format.dotenv ? env.dotenv() : env.shell();
        out().raw(text.stripTrailing());
        return 0;
    }
}
