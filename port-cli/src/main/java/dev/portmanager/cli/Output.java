package dev.portmanager.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a command prints: a JSON document with {@code --json}, else lines and aligned tables, in color only on a
 * terminal (and never with {@code NO_COLOR} set).
 */
final class Output {
    /**
     * Jackson's streaming core writes the documents: an {@code ObjectMapper} would print the same bytes but cost a
     * few hundred milliseconds of start-up to build (issue 20).
     */
    private static final JsonFactory JSON = new JsonFactory();

    private final PrintWriter out;
    private final boolean json;
    private final CommandLine.Help.Ansi ansi;

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
        this.ansi = System.getenv("NO_COLOR") != null ? CommandLine.Help.Ansi.OFF : CommandLine.Help.Ansi.AUTO;
    }

    boolean json() {
        return json;
    }

    /** Prints one JSON document. */
    void print(JsonNode document) {
        out.println(text(document));
    }

    /**
     * A JSON document as portman prints it: indented by Jackson's default pretty printer, as every command's
     * {@code --json} (what an {@code ObjectMapper} with {@code INDENT_OUTPUT} prints).
     */
    static String text(JsonNode document) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            write(g, document);
        } catch (IOException e) {
            throw new IllegalStateException("a result could not be written as JSON", e);
        }
        return text.toString();
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT:
                g.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
                break;
            case ARRAY:
                g.writeStartArray();
                for (JsonNode item : n) {
                    write(g, item);
                }
                g.writeEndArray();
                break;
            case STRING:
                g.writeString(n.textValue());
                break;
            case NUMBER:
                writeNumber(g, n);
                break;
            case BOOLEAN:
                g.writeBoolean(n.booleanValue());
                break;
            case BINARY:
                g.writeBinary(n.binaryValue());
                break;
            default:
                // NULL and MISSING; the wire forms hold no POJO nodes.
                g.writeNull();
        }
    }

    private static void writeNumber(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.numberType()) {
            case INT:
                g.writeNumber(n.intValue());
                break;
            case LONG:
                g.writeNumber(n.longValue());
                break;
            case BIG_INTEGER:
                g.writeNumber(n.bigIntegerValue());
                break;
            case FLOAT:
                g.writeNumber(n.floatValue());
                break;
            case BIG_DECIMAL:
                g.writeNumber(n.decimalValue());
                break;
            default:
                g.writeNumber(n.doubleValue());
        }
    }

    /** Prints a line, its control characters escaped (see {@link Cells#clean}). */
    void line(String text) {
        out.println(Cells.clean(text));
    }

    /** Prints text as it is, line breaks included: a shell script, a file's content. */
    void raw(String text) {
        out.println(text);
    }

    /** Prints a line with picocli markup ({@code @|bold x|@}), colored on a terminal only; controls escaped. */
    void styled(String markup) {
        out.println(ansi.string(Cells.clean(markup)));
    }

    /**
     * Prints rows under a bold header, each column as wide as its widest cell on a terminal (wide characters count two
     * columns), control characters escaped so that no cell can start a row of its own.
     */
    void table(List<String> header, List<List<String>> rows) {
        List<List<String>> cells = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> clean = new ArrayList<>();
            row.forEach(cell -> clean.add(Cells.clean(cell)));
            cells.add(clean);
        }
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = Cells.width(header.get(c));
            for (List<String> row : cells) {
                width[c] = Math.max(width[c], Cells.width(row.get(c)));
            }
        }
        out.println(ansi.string("@|bold " + escape(format(header, width)) + "|@"));
        for (List<String> row : cells) {
            out.println(format(row, width));
        }
    }

    void flush() {
        out.flush();
    }

    private static String format(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            b.append(cell);
            if (c < cells.size() - 1) {
                b.append(" ".repeat(width[c] - Cells.width(cell) + 2));
            }
        }
        return b.toString().stripTrailing();
    }

    /** Keeps picocli's markup characters in data from being read as markup. */
    static String escape(String text) {
        return text.replace("@|", "@ |").replace("|@", "| @");
    }
}
