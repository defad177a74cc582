package dev.portmanager.cli;

import dev.portmanager.PortRange;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portman define-range NAME START END}. */
@Command(name = "define-range", description = {"Store a range, for every process sharing the registry.",
        "Declaring a stored range again with the same ports does nothing; with other ports it fails."})
final class DefineRangeCommand extends PortmanCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "START")
    int start;

    @Parameters(index = "2", paramLabel = "END")
    int end;

    @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
    String description = "";

    @Option(names = "--no-auto", description = "serve only requests that name this range or one of its ports")
    boolean noAuto;

    @Override
    public Integer call() {
        PortRange r = manager().defineRange(new PortRange(name, start, end, description, !noAuto));
        if (out().json()) {
            out().print(RegistryJson.range(r));
        } else {
            out().line("range " + r.name() + " " + r.start() + "-" + r.end() + " is stored in " + manager().storeName());
        }
        return 0;
    }
}
