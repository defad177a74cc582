package dev.portmanager.cli;

import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.EnvExport;
import dev.portmanager.launch.ComposeFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portman env [PROJECT | --all] [--format shell|dotenv|json] [--compose]}. */
@Command(name = "env", description = {"Print environment variables for a project's ports:",
        "export CONSILIO_API_PORT='3101' and CONSILIO_API_URL for TCP ports.",
        "Without PROJECT: $PORTMANAGER_PROJECT, else the linked git worktree you are in, else every project.",
        "Use: eval \"$(portman env consilio)\", or portman env consilio --format dotenv > .env"})
final class EnvCommand extends PortmanCommand {
    /** The output formats. */
    enum Format { shell, dotenv, json }

    @Parameters(paramLabel = "PROJECT", arity = "0..1")
    String project;

    @Option(names = "--all", description = "every project's ports, even inside a linked worktree or with "
            + "$PORTMANAGER_PROJECT set")
    boolean all;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "shell (default), dotenv or json")
    Format format = Format.shell;

    @Option(names = "--compose", description = "also print COMPOSE_PROJECT_NAME: the project lower-cased, keeping "
            + "a-z, 0-9, - and _, without leading - or _ (as docker compose normalises a folder name)")
    boolean compose;

    @Override
    public Integer call() {
        if (all && project != null) {
            throw new IllegalArgumentException("--all and PROJECT '" + project + "' both say which projects; give one");
        }
        String chosen = all ? null : project != null ? project : DefaultProject.find().orElse(null);
        EnvExport env = manager().environment(chosen);
        if (chosen != null && env.variables().isEmpty()) {
            throw new AllocationNotFoundException("project '" + chosen + "' holds no ports on " + manager().host()
                    + " (environment " + manager().environment() + ") in " + manager().storeName()
                    + "; portman list shows what is allocated");
        }
        if (compose) {
            if (chosen == null) {
                throw new IllegalArgumentException("--compose needs one project, and none was given or implied; name "
                        + "it: portman env PROJECT --compose");
            }
            String name = ComposeFile.projectName(chosen).orElseThrow(() -> new IllegalArgumentException("project '"
                    + chosen + "' has no letter or digit docker compose accepts in a project name (a-z, 0-9); set "
                    + "COMPOSE_PROJECT_NAME yourself, or leave out --compose"));
            env = env.with("COMPOSE_PROJECT_NAME", name);
        }
        Format f = out().json() ? Format.json : format;
        String text = f == Format.json ? env.json() : f == Format.dotenv ? env.dotenv() : env.shell();
        out().raw(text.stripTrailing());
        return 0;
    }
}
