package dev.portmanager.cli;

import dev.portmanager.Migration;
import dev.portmanager.PortManager;
import dev.portmanager.PortManagerBuilder;
import dev.portmanager.wire.RegistryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portman migrate --from URI --to URI}. */
@Command(name = "migrate", description = {"Copy one registry into another: json:, jdbc:h2:, jdbc:postgresql://, in any "
        + "direction.", "Allocations already there are skipped; ones whose port another service holds are reported "
        + "(exit 1)."})
final class MigrateCommand extends PortmanCommand {
    @Option(names = "--from", paramLabel = "URI", required = true)
    String from;

    @Option(names = "--to", paramLabel = "URI", required = true)
    String to;

    @Override
    public Integer call() {
        try (PortManager source = PortManager.builder().name("from").store(from).build();
             PortManager target = withRangesOf(source, PortManager.builder().name("to").store(to)).build()) {
            return report(out(), "migrated " + source.storeName() + " to " + target.storeName(),
                    Migration.copy(source, target));
        }
    }

    /**
     * The builder of a copy's target, declaring the source's ranges: an empty target then gets exactly those, not the
     * six standard ranges first (which would clash with a source's own {@code api} or {@code web}).
     */
    static PortManagerBuilder withRangesOf(PortManager source, PortManagerBuilder target) {
        source.ranges().forEach(target::range);
        return target;
    }

    static int report(Output out, String what, Migration.Report r) {
        if (out.json()) {
            out.print(RegistryJson.copy(r));
        } else {
            out.line(what + ": " + r);
            r.failures().forEach(f -> out.line("  failed: " + f));
        }
        return r.failures().isEmpty() ? 0 : 1;
    }
}
