package dev.portmanager.store.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.HistoryAction;
import dev.portmanager.HistoryEntry;
import dev.portmanager.HistoryQuery;
import dev.portmanager.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ports.history.jsonl}: one JSON object per line, appended and synced under the registry's exclusive lock. A
 * line that does not parse (a crash in the middle of an append leaves at most the last one torn) is skipped with a
 * warning. Thread-safe given the registry's locking.
 */
final class HistoryLog {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryLog.class);

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper();

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

    /** Appends the entries and syncs them to disk. */
    void append(List<HistoryEntry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (HistoryEntry e : entries) {
            ObjectNode n = mapper.createObjectNode();
            n.put("at", e.at().toString());
            n.put("action", e.action().name().toLowerCase(Locale.ROOT));
            n.put("port", e.port());
            n.put("protocol", e.protocol().name().toLowerCase(Locale.ROOT));
            n.put("host", e.host());
            n.put("project", e.project());
            n.put("service", e.service());
            n.put("environment", e.environment());
            n.put("by", e.by());
            n.put("reason", e.reason());
            lines.append(mapper.writeValueAsString(n)).append('\n');
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
        }
    }

    /** The most recent {@code query.limit()} matching entries, oldest first. */
    List<HistoryEntry> read(HistoryQuery query) throws IOException {
        ArrayDeque<HistoryEntry> last = new ArrayDeque<>();
        int lineNumber = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
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

    private HistoryEntry parse(String line, int lineNumber) {
        try {
            JsonNode n = mapper.readTree(line);
            return new HistoryEntry(Instant.parse(n.get("at").asText()), HistoryAction.parse(n.get("action").asText()),
                    n.get("port").asInt(), Protocol.parse(n.get("protocol").asText()), n.get("host").asText(),
                    n.get("project").asText(), n.get("service").asText(), n.path("environment").asText("default"),
                    n.path("by").asText(""), n.path("reason").asText(""));
        } catch (IOException | RuntimeException e) {
            LOG.warn("skipping line {} of {}, which is not a history entry: {}", lineNumber, file, e.getMessage());
            return null;
        }
    }
}
