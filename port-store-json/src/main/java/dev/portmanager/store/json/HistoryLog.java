package dev.portmanager.store.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ports.history.jsonl}: one JSON object per line. A change's lines are appended and synced under the registry's
 * exclusive lock <em>before</em> the registry file is replaced, and the new registry records the history's length
 * ({@code metadata.history.bytes}): the rename that commits the change commits its history with it. Bytes past the
 * recorded length belong to a change that did not commit (its writer failed or was killed before the rename): they are
 * not read, and the next change cuts them off before appending. A line that does not parse is skipped with a warning.
 * Never opens the file through a symbolic link. Thread-safe given the registry's locking.
 */
final class HistoryLog {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryLog.class);
    private static final String ROLE = "history";

    private final Path file;

    /** Where an append put its lines: from {@code start} (the committed length it found) to {@code end}. */
    record Appended(long start, long end) {
    }

    HistoryLog(Path file) {
        this.file = file;
    }

    /** The history file beside a registry: {@code ports.json} keeps its history in {@code ports.history.jsonl}. */
    static Path beside(Path registry) {
        String name = registry.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return registry.resolveSibling(base + ".history.jsonl");
    }

    Path file() {
        return file;
    }

    /** Refuses a history that is a link or not a regular file. */
    void check() {
        PrivateFiles.requireRegularOrAbsent(file, ROLE);
    }

    /**
     * Cuts off what lies past the committed length, appends the entries and syncs them. On failure, whatever was
     * written is cut off again before the exception leaves.
     *
     * @param committed the length the registry records, or -1 when it records none (then the whole file counts)
     * @return where the lines went; the registry written next records {@code end}
     */
    Appended append(List<HistoryEntry> entries, long committed) throws IOException {
        check();
        if (entries.isEmpty()) {
            long size = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : 0;
            long end = committed >= 0 ? Math.min(committed, size) : size;
            return new Appended(end, end);
        }
        ByteBuffer lines = ByteBuffer.wrap(lines(entries));
        try (FileChannel ch = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long start = committed >= 0 && committed < size ? committed : size;
            if (start < size) {
                ch.truncate(start);
                LOG.info("removed the last {} bytes of {}: the history of a change that did not commit", size - start,
                        file);
            }
            try {
                long at = start;
                while (lines.hasRemaining()) {
                    at += ch.write(lines, at);
                }
                ch.force(false);
                return new Appended(start, at);
            } catch (IOException e) {
                cut(ch, start);
                throw e;
            }
        }
    }

    /** Takes back an append whose change did not commit; if even that fails, readers skip the lines all the same. */
    void takeBack(Appended appended) {
        if (appended.end() == appended.start()) {
            return;
        }
        try (FileChannel ch = PrivateFiles.open(file, StandardOpenOption.WRITE)) {
            cut(ch, appended.start());
        } catch (IOException e) {
            LOG.warn("could not take back the history of a change that did not commit from {} ({}); it is not read, "
                    + "and the next change removes it", file, RegistryFile.describe(e));
        }
    }

    private static void cut(FileChannel ch, long length) {
        try {
            ch.truncate(length);
            ch.force(false);
        } catch (IOException e) {
            LOG.warn("could not cut the history back to {} bytes ({}); it is not read past them, and the next change "
                    + "removes the rest", length, e.toString());
        }
    }

    private static byte[] lines(List<HistoryEntry> entries) throws IOException {
        StringWriter lines = new StringWriter();
        for (HistoryEntry e : entries) {
            try (JsonGenerator g = JsonTree.factory().createGenerator(lines)) {
                g.writeStartObject();
                g.writeStringField("at", e.at().toString());
                g.writeStringField("action", e.action().name().toLowerCase(Locale.ROOT));
                g.writeNumberField("port", e.port());
                g.writeStringField("protocol", e.protocol().name().toLowerCase(Locale.ROOT));
                g.writeStringField("host", e.host());
                g.writeStringField("project", e.project());
                g.writeStringField("service", e.service());
                g.writeStringField("environment", e.environment());
                g.writeStringField("by", e.by());
                g.writeStringField("reason", e.reason());
                g.writeEndObject();
            }
            lines.write('\n');
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The most recent {@code query.limit()} matching entries, oldest first, read up to the committed length.
     *
     * @param committed the length the registry records, or -1 when it records none (then the whole file counts)
     */
    List<HistoryEntry> read(HistoryQuery query, long committed) throws IOException {
        check();
        ArrayDeque<HistoryEntry> last = new ArrayDeque<>();
        int lineNumber = 0;
        try (FileChannel ch = PrivateFiles.open(file, StandardOpenOption.READ);
             BufferedReader in = new BufferedReader(new InputStreamReader(upTo(Channels.newInputStream(ch),
                     committed >= 0 ? committed : Long.MAX_VALUE), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                HistoryEntry e = parse(line, lineNumber);
                if (e != null && query.test(e)) {
                    last.addLast(e);
                    if (last.size() > query.limit()) {
                        last.removeFirst();
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return new ArrayList<>(last);
    }

    /** The stream's first {@code limit} bytes. */
    private static InputStream upTo(InputStream in, long limit) {
        return new FilterInputStream(in) {
            private long left = limit;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    private HistoryEntry parse(String line, int lineNumber) {
        try {
            Map<String, Object> n = JsonTree.object(JsonTree.parse(line));
            return new HistoryEntry(Instant.parse(required(n, "at")), HistoryAction.parse(required(n, "action")),
                    Integer.parseInt(required(n, "port")), Protocol.parse(required(n, "protocol")),
                    required(n, "host"), required(n, "project"), required(n, "service"),
                    JsonTree.asText(n.get("environment"), "default"), JsonTree.asText(n.get("by"), ""),
                    JsonTree.asText(n.get("reason"), ""));
        } catch (IOException | RuntimeException e) {
            LOG.warn("skipping line {} of {}, which is not a history entry: {}", lineNumber, file, e.getMessage());
            return null;
        }
    }

    /** A field's text; a line without it is not a history entry. */
    private static String required(Map<String, Object> entry, String field) {
        Object v = entry == null ? null : entry.get(field);
        if (v == null) {
            throw new IllegalArgumentException("it has no " + field);
        }
        return JsonTree.asText(v);
    }
}
