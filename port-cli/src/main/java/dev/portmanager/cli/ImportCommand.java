package dev.portmanager.cli;

import dev.portmanager.Migration;
import dev.portmanager.PortManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code portman import FILE}: a ports.json (an export, or an Atlas registry) into the registry. */
@Command(name = "import", description = {"Add the ranges and allocations of a ports.json (an export, or an Atlas "
        + "registry) to the registry.", "Allocations already there are skipped; ones whose port another service holds "
        + "are reported (exit 1)."})
final class ImportCommand extends PortmanCommand {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a file; give the path of a ports.json");
        }
        try (PortManager from = PortManager.builder().name("import").store("json:" + file.toAbsolutePath()).build();
             PortManager into = MigrateCommand.withRangesOf(from, root.builder("portman-import")).build()) {
            return MigrateCommand.report(out(), "imported " + file, Migration.copy(from, into));
        }
    }
}
