package dev.portmanager.store.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.Instantiatable;

import java.io.IOException;

/**
 * The layout of {@code ports.json}: the top level and its sections one entry per line, everything deeper on that one
 * line. Each range and each allocation is thus one line: the file stays readable, {@code grep 8080} finds a port's
 * whole record, and a change shows as a one-line diff. Not thread-safe: one instance per generator.
 */
final class RegistryPrinter implements PrettyPrinter, Instantiatable<RegistryPrinter> {
    /** Containers this deep or shallower put each entry on its own line. */
    private static final int LINE_DEPTH = 2;
    private static final String[] NEWLINES = {"\n", "\n  ", "\n    "};

    private int depth;

    /** A printer for the whole file. */
    RegistryPrinter() {
        this(0);
    }

    private RegistryPrinter(int depth) {
        this.depth = depth;
    }

    /** A printer for one entry written on its own, laid out as inside the file: on one line. */
    static RegistryPrinter inline() {
        return new RegistryPrinter(LINE_DEPTH);
    }

    @Override
    public RegistryPrinter createInstance() {
        return new RegistryPrinter(depth);
    }

    @Override
    public void writeRootValueSeparator(JsonGenerator g) {
        // One root value per file.
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        open(g, '{');
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        breakOrNot(g, "");
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        separate(g);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        close(g, entries, '}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        open(g, '[');
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        breakOrNot(g, "");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        separate(g);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        close(g, values, ']');
    }

    private void open(JsonGenerator g, char bracket) throws IOException {
        g.writeRaw(bracket);
        depth++;
    }

    private void separate(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        breakOrNot(g, " ");
    }

    private void breakOrNot(JsonGenerator g, String inline) throws IOException {
        if (depth <= LINE_DEPTH) {
            newline(g, depth);
        } else {
            g.writeRaw(inline);
        }
    }

    private void close(JsonGenerator g, int entries, char bracket) throws IOException {
        if (depth <= LINE_DEPTH && entries > 0) {
            newline(g, depth - 1);
        }
        g.writeRaw(bracket);
        depth--;
    }

    private static void newline(JsonGenerator g, int level) throws IOException {
        g.writeRaw(NEWLINES[level]);
    }
}
