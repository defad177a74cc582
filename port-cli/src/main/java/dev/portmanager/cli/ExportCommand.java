package dev.portmanager.cli;

import dev.portmanager.Migration;
import dev.portmanager.PortManager;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code portman export [--output FILE]}: the registry as a ports.json. */
@Command(name = "export", description = {"Write the registry (ranges and live allocations) in the ports.json format, "
        + "to --output or stdout.", "The result can be imported, or used as a registry itself (json:FILE)."})
final class ExportCommand extends PortmanCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here instead of stdout")
    Path output;

    @Override
    public Integer call() throws IOException {
        Path target = output != null ? output : Files.createTempDirectory("portman-export").resolve("ports.json");
        if (output != null && Files.exists(output)) {
            throw new IllegalArgumentException(output + " exists; export writes a new file: remove it or name another");
        }
        try (PortManager into = MigrateCommand.withRangesOf(manager(),
                PortManager.builder().name("export").store("json:" + target)).build()) {
            Migration.Report report = Migration.copy(manager(), into);
            if (!report.failures().isEmpty()) {
                throw new IllegalStateException("export could not write " + report.failures().size()
                        + " allocations: " + report.failures().get(0));
            }
        }
        if (output == null) {
            out().raw(Files.readString(target).stripTrailing());
            Files.walk(target.getParent()).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } else if (out().json()) {
            out().print(RegistryJson.export(manager().storeName(), output.toString()));
        } else {
            out().line("exported " + manager().storeName() + " to " + output);
        }
        return 0;
    }
}
