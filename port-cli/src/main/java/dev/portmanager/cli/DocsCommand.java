package dev.portmanager.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.AuditReport;
import dev.portmanager.PortManagerException;
import dev.portmanager.RegistryDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/** {@code portman docs [-o FILE] [--timestamp] [--no-audit]}: the registry as a Markdown page. */
@Command(name = "docs", description = {"Write the registry as a Markdown page: ranges with their utilization, "
        + "services with ports, owners and health, and (from an audit of this machine) services not running, "
        + "conflicts and unregistered listeners.",
        "Sorted and without a time unless --timestamp, so the page can be committed and diffed. --output replaces the "
                + "file atomically, owner-only, and never through a symbolic link. With --json: {\"markdown\": "
                + "PAGE}, or {\"file\": FILE} with --output."})
final class DocsCommand extends PortmanCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here (replaced) instead of stdout")
    Path output;

    @Option(names = "--timestamp", description = "add a 'Generated at' line (the page then changes on every run)")
    boolean timestamp;

    @Option(names = "--no-audit", description = "leave out health, conflicts and listeners (no look at the machine)")
    boolean noAudit;

    @Override
    public Integer call() throws IOException {
        Optional<AuditReport> audit = noAudit ? Optional.empty() : Optional.of(hostAudit());
        String page = RegistryDocument.markdown(manager(), audit,
                timestamp ? Optional.of(Instant.now()) : Optional.empty());
        if (output == null) {
            if (out().json()) {
                out().print(JsonNodeFactory.instance.objectNode().put("markdown", page));
            } else {
                out().raw(page.stripTrailing());
            }
            return 0;
        }
        write(output.toAbsolutePath(), page);
        if (out().json()) {
            ObjectNode n = JsonNodeFactory.instance.objectNode().put("file", output.toAbsolutePath().toString());
            out().print(n);
        } else {
            out().line("wrote " + output);
        }
        return 0;
    }

    /**
     * Replaces the file with the page: a new owner-only file beside it, synced, then renamed over it, so a reader sees
     * the old page or the new one, never half of one, and a link planted at the name is refused, never followed.
     */
    private static void write(Path file, String page) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IllegalArgumentException("--output " + file + " is a symbolic link; portman docs never writes "
                    + "through one: remove it, or name the file itself");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("--output " + file + " is not a regular file; name a file");
        }
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output " + file + ": the folder " + dir + " does not exist; create "
                    + "it first");
        }
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path temp = posix ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer bytes = ByteBuffer.wrap(page.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new PortManagerException("cannot replace " + file + " atomically on its file system; write the "
                        + "page to stdout and redirect it", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
