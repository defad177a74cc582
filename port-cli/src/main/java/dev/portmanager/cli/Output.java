package dev.portmanager.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command prints: a JSON document with {@code --json}, else lines and aligned tables, in color only on a
 * terminal (and never with {@code NO_COLOR} set).
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

    /** A JSON document as portman prints it: indented, as every command's {@code --json}. */
    static String text(JsonNode document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result could not be written as JSON", e);
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
