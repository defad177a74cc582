package dev.portmanager.store.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.portmanager.Allocation;
import dev.portmanager.AllocationStatus;
import dev.portmanager.HealthStatus;
import dev.portmanager.PortRange;
import dev.portmanager.ProcessOwner;
import dev.portmanager.Protocol;
import dev.portmanager.StoreCorruptedException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads and writes the Atlas registry format (seed 004): {@code ranges}, {@code allocations}, {@code metadata}, with
 * snake_case fields. Port Manager's own fields sit beside the seed's; fields neither knows are carried through every
 * rewrite. Read and written with Jackson's streaming core ({@link JsonTree}), never databind's {@code ObjectMapper},
 * whose set-up would be most of a program's start-up. Thread-safe: nothing is kept but a counter.
 */
final class AtlasCodec {
    /** The newest {@code schema_version} this library reads and writes. */
    static final int SCHEMA_VERSION = 1;
    static final String FORMAT_VERSION = "1.0.0";

    private static final Set<String> TOP = Set.of("ranges", "allocations", "metadata");
    private static final Set<String> RANGE_FIELDS = Set.of("start", "end", "description", "auto_allocate");
    private static final Set<String> META_FIELDS = Set.of("version", "last_updated", "total_allocations",
            "schema_version", "history");
    private static final Set<String> ALLOCATION_FIELDS = Set.of("port", "worktree", "service", "allocated_at",
            "allocated_by", "description", "process_id", "health_status", "id", "service_name", "range", "protocol",
            "host", "environment", "status", "expires_at", "owner", "health_endpoint", "last_health_check", "metadata");

    /** How many allocation entries were parsed (not reused): for tests of the reuse. */
    private final java.util.concurrent.atomic.AtomicLong entriesParsed = new java.util.concurrent.atomic.AtomicLong();

    /** A parsed registry file: the model, and what must survive a rewrite. */
    static final class Document {
        final List<PortRange> ranges = new ArrayList<>();
        final List<Allocation> allocations = new ArrayList<>();
        final Map<String, Object> unknownTop = new LinkedHashMap<>();
        final Map<String, Object> unknownMetadata = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> unknownInRange = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> unknownInAllocation = new LinkedHashMap<>();
        /** Each allocation's text in the file, by id: written again as it is while the allocation is unchanged. */
        final Map<String, Entry> byId = new HashMap<>();
        /** The same entries by their text: an entry read again with the same text needs no parsing. */
        final Map<String, Entry> byText = new HashMap<>();
        final Set<String> rangeNames = new HashSet<>();
        /**
         * How many bytes of the history file this version of the registry commits ({@code metadata.history.bytes}),
         * or -1 when it says nothing reliable: no such field, or a file rewritten since by a tool that does not keep
         * it (its {@code last_updated} no longer matches), when the whole history counts.
         */
        long committedHistory = -1;

        /**
         * What must survive the next rewrite: the unknown fields and the entries' texts, without the parsed lists
         * (the model then lives in the registry).
         */
        Document extras() {
            Document d = new Document();
            d.unknownTop.putAll(unknownTop);
            d.unknownMetadata.putAll(unknownMetadata);
            d.unknownInRange.putAll(unknownInRange);
            d.unknownInAllocation.putAll(unknownInAllocation);
            d.byId.putAll(byId);
            d.byText.putAll(byText);
            d.rangeNames.addAll(rangeNames);
            d.committedHistory = committedHistory;
            return d;
        }

        private void keep(Entry e) {
            byId.put(e.allocation().id(), e);
            byText.put(e.text(), e);
        }
    }

    /** One allocation and its text in the file (one line, as written; any form, as read). */
    record Entry(Allocation allocation, String text) {
    }

    /** A written file and the document describing it. */
    record Written(byte[] bytes, Document document) {
    }

    /**
     * Parses a registry file: plain text by {@link JsonReader}, anything else (errors above all) by Jackson's token
     * stream. Allocations, the bulk of a large file, are first taken as the text of each entry; the small sections as
     * trees.
     *
     * @throws StoreCorruptedException if the bytes are not a registry, naming the file, line and column, or the
     *                                  entry and field; or if the file's schema is newer than this library's
     */
    Document read(byte[] bytes, Path file) {
        return read(bytes, file, null);
    }

    /**
     * Parses a registry file, reusing the allocations of {@code previous} (the document last read or written) whose
     * entry text is unchanged: when another process added one allocation to a file of thousands, only that one is
     * parsed.
     *
     * @throws StoreCorruptedException as {@link #read(byte[], Path)}
     */
    Document read(byte[] bytes, Path file, Document previous) {
        try {
            return parse(bytes, file, previous);
        } catch (StoreCorruptedException e) {
            refuseNewerSchema(bytes, file);
            throw e;
        } catch (JsonProcessingException e) {
            refuseNewerSchema(bytes, file);
            JsonLocation at = e.getLocation();
            throw corrupted(file, (at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ")
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw corrupted(file, e.getMessage(), e);
        }
    }

    private Document parse(byte[] bytes, Path file, Document previous) throws IOException {
        Document doc = new Document();
        Object ranges = null;
        List<String> texts = null;
        JsonReader.Top top = JsonReader.top(bytes);
        if (top != null) {
            // Plain text, nearly every read: no Jackson (issue 20). Each field is taken as the token stream below
            // takes it; text JsonReader leaves to Jackson (an error above all) goes there.
            for (Map.Entry<String, Object> e : top.fields().entrySet()) {
                switch (e.getKey()) {
                    case "ranges":
                        ranges = e.getValue();
                        break;
                    case "metadata":
                        metadata(doc, e.getValue(), file);
                        break;
                    case "allocations":
                        texts = top.entries();
                        break;
                    default:
                        doc.unknownTop.put(e.getKey(), e.getValue());
                }
            }
        } else {
            try (JsonParser p = JsonTree.factory().createParser(bytes)) {
                JsonToken first = p.nextToken();
                if (first == null) {
                    throw corrupted(file, "the file is empty", null);
                }
                if (first != JsonToken.START_OBJECT) {
                    throw corrupted(file, "the top level is " + found(p) + ", not an object with ranges, allocations "
                            + "and metadata", null);
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "ranges":
                            ranges = JsonTree.read(p);
                            break;
                        case "metadata":
                            metadata(doc, JsonTree.read(p), file);
                            break;
                        case "allocations":
                            if (p.currentToken() != JsonToken.START_ARRAY) {
                                throw corrupted(file, "'allocations' is not an array", null);
                            }
                            texts = entryTexts(p, bytes);
                            break;
                        default:
                            doc.unknownTop.put(field, JsonTree.read(p));
                    }
                }
                if (p.nextToken() != null) {
                    JsonLocation at = p.currentTokenLocation();
                    throw corrupted(file, "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + found(p)
                            + " follows the registry's closing brace; a registry file holds one object: merge what "
                            + "follows into it, or remove it", null);
                }
            }
        }
        readRanges(ranges, doc, file);
        // Loops, not forEach with a lambda, in this class: it runs at every program's first read (start-up, issue 20).
        for (PortRange r : doc.ranges) {
            doc.rangeNames.add(r.name());
        }
        boolean reuse = previous != null && previous.rangeNames.equals(doc.rangeNames);
        if (texts != null) {
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                Entry known = reuse ? previous.byText.get(text) : null;
                if (known != null) {
                    doc.allocations.add(known.allocation());
                    doc.keep(known);
                    Map<String, Object> unknown = previous.unknownInAllocation.get(known.allocation().id());
                    if (unknown != null) {
                        doc.unknownInAllocation.put(known.allocation().id(), unknown);
                    }
                } else {
                    toAllocation(text, "allocations[" + i + "]", doc, file);
                }
            }
        }
        return doc;
    }

    /** Takes the metadata object: the schema it needs, its unknown fields, the history length it commits. */
    private static void metadata(Document doc, Object value, Path file) {
        Map<String, Object> metadata = JsonTree.object(value);
        if (metadata != null) {
            checkSchema(metadata, file);
            unknownFields(metadata, META_FIELDS, doc.unknownMetadata);
            doc.committedHistory = committedHistory(metadata);
        }
    }

    /**
     * The text of each allocations entry, found by skipping over it token by token (no objects are built): entries
     * are then parsed only when their text is new. An entry that is not an object is kept as {@code null}.
     */
    private static List<String> entryTexts(JsonParser p, byte[] bytes) throws IOException {
        List<String> texts = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonParseException(p, "the allocations array is not closed");
            }
            long from = p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            long to = p.currentLocation().getByteOffset();
            texts.add(t == JsonToken.START_OBJECT
                    ? new String(bytes, (int) from, (int) (to - from), StandardCharsets.UTF_8) : null);
        }
        return texts;
    }

    /** What the parser's current token is, for a message: {@code an array}, {@code the string "ports"}. */
    private static String found(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT:
                return "another object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                String text = p.getText();
                return "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "the number " + p.getText();
            case VALUE_NULL:
                return "null";
            default:
                return "the value " + p.getText();
        }
    }

    private static long committedHistory(Map<String, Object> metadata) {
        Object history = metadata.get("history");
        Object bytes = JsonTree.get(history, "bytes");
        Object updated = JsonTree.get(history, "last_updated");
        boolean current = updated instanceof String
                && updated.equals(JsonTree.asText(metadata.get("last_updated"), null));
        return current && JsonTree.fitsLong(bytes) && ((Number) bytes).longValue() >= 0
                ? ((Number) bytes).longValue() : -1;
    }

    private static void checkSchema(Map<String, Object> metadata, Path file) {
        Object schema = metadata.get("schema_version");
        if (JsonTree.isIntegral(schema) && ((Number) schema).intValue() > SCHEMA_VERSION) {
            int version = ((Number) schema).intValue();
            throw new StoreCorruptedException(file + " has schema_version " + version + ", newer than this "
                    + "version of Port Manager understands (" + SCHEMA_VERSION + "); it was left as it is: upgrade "
                    + "Port Manager, or point this program at another file");
        }
    }

    /** On the error path only: a file too broken to read may still say it is newer, and that is the better message. */
    private void refuseNewerSchema(byte[] bytes, Path file) {
        Object root;
        try {
            root = JsonTree.parse(bytes);
        } catch (IOException e) {
            return;
        }
        Map<String, Object> metadata = JsonTree.object(JsonTree.get(root, "metadata"));
        if (metadata != null) {
            checkSchema(metadata, file);
        }
    }

    private static void readRanges(Object ranges, Document doc, Path file) {
        if (ranges == null || ranges == JsonTree.NULL) {
            return;
        }
        Map<String, Object> named = JsonTree.object(ranges);
        if (named == null) {
            throw corrupted(file, "'ranges' is not an object of named ranges", null);
        }
        for (Map.Entry<String, Object> e : named.entrySet()) {
            Map<String, Object> range = readRange(e.getKey(), e.getValue(), doc, file);
            Map<String, Object> unknown = new LinkedHashMap<>();
            unknownFields(range, RANGE_FIELDS, unknown);
            if (!unknown.isEmpty()) {
                doc.unknownInRange.put(e.getKey(), unknown);
            }
        }
    }

    private void toAllocation(String text, String where, Document doc, Path file) throws IOException {
        if (text == null) {
            throw corrupted(file, where + " is not an object", null);
        }
        Map<String, Object> n = JsonTree.object(JsonTree.parse(text));
        entriesParsed.incrementAndGet();
        Allocation a = readAllocation(n, where, doc.rangeNames, file);
        doc.allocations.add(a);
        doc.keep(new Entry(a, text));
        Map<String, Object> unknown = new LinkedHashMap<>();
        unknownFields(n, ALLOCATION_FIELDS, unknown);
        if (!unknown.isEmpty()) {
            doc.unknownInAllocation.put(a.id(), unknown);
        }
    }

    /**
     * Writes the registry, carrying the unknown fields of {@code previous} through; an allocation unchanged since
     * {@code previous} (the same object) is written as the text it had. Returns the bytes and their document.
     *
     * @param historyBytes the length of the history file this version commits, or -1 to record none
     */
    Written write(Collection<PortRange> ranges, Collection<Allocation> allocations, Document previous, Instant now,
                  long historyBytes) {
        Document next = new Document();
        next.committedHistory = historyBytes;
        if (previous != null) {
            next.unknownTop.putAll(previous.unknownTop);
            next.unknownMetadata.putAll(previous.unknownMetadata);
        }
        for (PortRange r : ranges) {
            next.rangeNames.add(r.name());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + allocations.size() * 320);
        try (JsonGenerator g = JsonTree.factory().createGenerator(out)) {
            g.setPrettyPrinter(new RegistryPrinter());
            g.writeStartObject();
            g.writeObjectFieldStart("ranges");
            for (PortRange r : ranges) {
                g.writeObjectFieldStart(r.name());
                g.writeNumberField("start", r.start());
                g.writeNumberField("end", r.end());
                g.writeStringField("description", r.description());
                g.writeBooleanField("auto_allocate", r.autoAllocate());
                Map<String, Object> unknown = previous == null ? null : previous.unknownInRange.get(r.name());
                writeUnknown(g, unknown);
                if (unknown != null) {
                    next.unknownInRange.put(r.name(), unknown);
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("allocations");
            for (Allocation a : allocations) {
                Map<String, Object> unknown = previous == null ? null : previous.unknownInAllocation.get(a.id());
                Entry had = previous == null ? null : previous.byId.get(a.id());
                String text = had != null && had.allocation() == a ? had.text() : entryText(a, unknown);
                g.writeRawValue(text);
                next.keep(new Entry(a, text));
                if (unknown != null) {
                    next.unknownInAllocation.put(a.id(), unknown);
                }
            }
            g.writeEndArray();
            g.writeObjectFieldStart("metadata");
            g.writeStringField("version", FORMAT_VERSION);
            String updated = IsoInstant.format(now);
            g.writeStringField("last_updated", updated);
            g.writeNumberField("total_allocations", allocations.size());
            g.writeNumberField("schema_version", SCHEMA_VERSION);
            if (historyBytes >= 0) {
                g.writeObjectFieldStart("history");
                g.writeNumberField("bytes", historyBytes);
                g.writeStringField("last_updated", updated);
                g.writeEndObject();
            }
            writeUnknown(g, next.unknownMetadata);
            g.writeEndObject();
            writeUnknown(g, next.unknownTop);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        out.write('\n');
        return new Written(out.toByteArray(), next);
    }

    long entriesParsed() {
        return entriesParsed.get();
    }

    /** One allocation as one line of JSON, in the file's inline layout. */
    private static String entryText(Allocation a, Map<String, Object> unknown) throws IOException {
        StringWriter text = new StringWriter(320);
        try (JsonGenerator g = JsonTree.factory().createGenerator(text)) {
            g.setPrettyPrinter(RegistryPrinter.inline());
            writeAllocation(g, a);
            writeUnknown(g, unknown);
            g.writeEndObject();
        }
        return text.toString();
    }

    /**
     * The seed's fields first, in the seed's order, always present; then Port Manager's, the optional ones only when
     * set. Leaves the object open for unknown fields.
     */
    private static void writeAllocation(JsonGenerator g, Allocation a) throws IOException {
        g.writeStartObject();
        g.writeNumberField("port", a.port());
        g.writeStringField("worktree", a.project());
        g.writeStringField("service", a.range().orElse(a.service()));
        g.writeStringField("allocated_at", IsoInstant.format(a.allocatedAt()));
        g.writeStringField("allocated_by", a.allocatedBy());
        g.writeStringField("description", a.description());
        g.writeFieldName("process_id");
        if (a.processId().isPresent()) {
            g.writeNumber(a.processId().getAsLong());
        } else {
            g.writeNull();
        }
        g.writeStringField("health_status", a.healthStatus().name().toLowerCase(Locale.ROOT));
        g.writeStringField("id", a.id());
        g.writeStringField("service_name", a.service());
        if (a.range().isPresent()) {
            g.writeStringField("range", a.range().get());
        }
        g.writeStringField("protocol", a.protocol().name().toLowerCase(Locale.ROOT));
        g.writeStringField("host", a.host());
        g.writeStringField("environment", a.environment());
        g.writeStringField("status", a.status().name().toLowerCase(Locale.ROOT));
        if (a.expiresAt().isPresent()) {
            g.writeStringField("expires_at", IsoInstant.format(a.expiresAt().get()));
        }
        if (a.owner().isPresent()) {
            ProcessOwner o = a.owner().get();
            g.writeObjectFieldStart("owner");
            g.writeNumberField("pid", o.pid());
            g.writeStringField("started_at", IsoInstant.format(o.startedAt()));
            g.writeStringField("machine", o.machine());
            g.writeEndObject();
        }
        if (a.healthEndpoint().isPresent()) {
            g.writeStringField("health_endpoint", a.healthEndpoint().get().toString());
        }
        if (a.lastHealthCheck().isPresent()) {
            g.writeStringField("last_health_check", IsoInstant.format(a.lastHealthCheck().get()));
        }
        if (!a.metadata().isEmpty()) {
            g.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> e : a.metadata().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
    }

    private static void writeUnknown(JsonGenerator g, Map<String, Object> unknown) throws IOException {
        if (unknown == null) {
            return;
        }
        for (Map.Entry<String, Object> e : unknown.entrySet()) {
            g.writeFieldName(e.getKey());
            JsonTree.write(g, e.getValue());
        }
    }

    /** Adds the named range to the document and returns its fields. */
    private static Map<String, Object> readRange(String name, Object range, Document doc, Path file) {
        String where = "ranges." + name;
        Map<String, Object> n = JsonTree.object(range);
        if (n == null) {
            throw corrupted(file, where + " is not an object with start and end", null);
        }
        try {
            doc.ranges.add(new PortRange(name, requiredInt(n, "start", where, file), requiredInt(n, "end", where, file),
                    JsonTree.asText(n.get("description"), ""), JsonTree.asBoolean(n.get("auto_allocate"), true)));
            return n;
        } catch (IllegalArgumentException e) {
            throw corrupted(file, where + ": " + e.getMessage(), e);
        }
    }

    /**
     * One allocation. A hand-written Atlas entry has no {@code service_name}: its {@code service} is the service
     * type, which is both the service and, when such a range exists, the range. Entries without an id get one derived
     * from their content, stable until the file is rewritten with it.
     */
    private static Allocation readAllocation(Map<String, Object> n, String where, Set<String> rangeNames, Path file) {
        int port = requiredInt(n, "port", where, file);
        where = where + " (port " + port + ")";
        String worktree = requiredText(n, "worktree", where, file);
        String serviceType = requiredText(n, "service", where, file);
        Instant allocatedAt = instant(n, "allocated_at", where, file, true);
        try {
            Allocation.Builder b = Allocation.builder().port(port).project(worktree)
                    .allocatedAt(allocatedAt)
                    .allocatedBy(text(n, "allocated_by", "unknown"))
                    .description(text(n, "description", ""))
                    .healthStatus(HealthStatus.parse(text(n, "health_status", "unknown")))
                    .protocol(Protocol.parse(text(n, "protocol", "tcp")))
                    .host(text(n, "host", "localhost"))
                    .environment(text(n, "environment", "default"))
                    .status(AllocationStatus.parse(text(n, "status", "active")))
                    .expiresAt(instant(n, "expires_at", where, file, false))
                    .lastHealthCheck(instant(n, "last_health_check", where, file, false));
            if (JsonTree.hasNonNull(n, "service_name")) {
                b.service(JsonTree.asText(n.get("service_name")))
                        .range(JsonTree.hasNonNull(n, "range") ? JsonTree.asText(n.get("range")) : null);
            } else {
                b.service(serviceType).range(rangeNames.contains(serviceType) ? serviceType : null);
            }
            if (JsonTree.hasNonNull(n, "process_id")) {
                b.processId(longValue(n, "process_id", where, file));
            }
            if (JsonTree.hasNonNull(n, "health_endpoint")) {
                b.healthEndpoint(URI.create(JsonTree.asText(n.get("health_endpoint"))));
            }
            Map<String, Object> owner = JsonTree.object(n.get("owner"));
            if (owner != null) {
                b.owner(new ProcessOwner(longValue(owner, "pid", where + ".owner", file),
                        instant(owner, "started_at", where + ".owner", file, true),
                        requiredText(owner, "machine", where + ".owner", file)));
            }
            Map<String, Object> meta = JsonTree.object(n.get("metadata"));
            if (meta != null) {
                Map<String, String> m = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : meta.entrySet()) {
                    m.put(e.getKey(), JsonTree.asText(e.getValue()));
                }
                b.metadata(m);
            }
            b.id(JsonTree.hasNonNull(n, "id") ? JsonTree.asText(n.get("id")) : derivedId(n));
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw corrupted(file, where + ": " + e.getMessage(), e);
        }
    }

    private static String derivedId(Map<String, Object> n) {
        String content = JsonTree.asText(n.get("port")) + "|" + JsonTree.asText(n.get("protocol"), "tcp") + "|"
                + JsonTree.asText(n.get("host"), "localhost") + "|" + JsonTree.asText(n.get("worktree")) + "|"
                + JsonTree.asText(n.get("service")) + "|" + JsonTree.asText(n.get("allocated_at"));
        return "atlas-" + UUID.nameUUIDFromBytes(content.getBytes(StandardCharsets.UTF_8));
    }

    private static void unknownFields(Map<String, Object> node, Set<String> known, Map<String, Object> into) {
        for (Map.Entry<String, Object> e : node.entrySet()) {
            if (!known.contains(e.getKey())) {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    private static String text(Map<String, Object> n, String field, String absent) {
        return JsonTree.asText(n.get(field), absent);
    }

    private static String requiredText(Map<String, Object> n, String field, String where, Path file) {
        Object v = n.get(field);
        if (v == null || v == JsonTree.NULL || !JsonTree.isValue(v)) {
            throw corrupted(file, where + " has no " + field, null);
        }
        return JsonTree.asText(v);
    }

    private static int requiredInt(Map<String, Object> n, String field, String where, Path file) {
        Object v = n.get(field);
        if (v == null || !JsonTree.isIntegral(v) || !JsonTree.fitsInt(v)) {
            throw corrupted(file, where + " has no whole-number " + field
                    + (v == null ? "" : " (found " + JsonTree.toJson(v) + ")"), null);
        }
        return ((Number) v).intValue();
    }

    private static long longValue(Map<String, Object> n, String field, String where, Path file) {
        Object v = n.get(field);
        if (v == null || !JsonTree.isIntegral(v)) {
            throw corrupted(file, where + " has no whole-number " + field
                    + (v == null ? "" : " (found " + JsonTree.toJson(v) + ")"), null);
        }
        return ((Number) v).longValue();
    }

    /** ISO 8601 instants; an offset is converted, a time with no zone is read as UTC. */
    private static Instant instant(Map<String, Object> n, String field, String where, Path file, boolean required) {
        Object v = n.get(field);
        if (v == null || v == JsonTree.NULL) {
            if (required) {
                throw corrupted(file, where + " has no " + field + "; add it as an ISO 8601 time such as "
                        + "2025-12-31T10:00:00Z", null);
            }
            return null;
        }
        String s = JsonTree.asText(v);
        try {
            Instant fast = IsoInstant.parseCanonical(s);
            return fast != null ? fast : Instant.parse(s);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeException e2) {
                try {
                    return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
                } catch (DateTimeException e3) {
                    throw corrupted(file, where + " " + field + " '" + s + "' is not an ISO 8601 time such as "
                            + "2025-12-31T10:00:00Z", e3);
                }
            }
        }
    }

    /** The failure for a file that is not a registry; it offers the backup only when there is one to restore. */
    static StoreCorruptedException corrupted(Path file, String what, Throwable cause) {
        Path backup = RegistryFile.backupOf(file);
        return new StoreCorruptedException(file + " is not a valid registry: " + what + ". The file was left as it is; "
                + "fix it by hand" + (Files.isRegularFile(backup, LinkOption.NOFOLLOW_LINKS)
                ? ", or restore the last good copy: cp " + backup + " " + file : ""), cause);
    }
}
