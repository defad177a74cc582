package dev.portmanager.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;

import java.io.PrintWriter;
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
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result could not be written as JSON", e);
        }
    }

    /** Prints a line. */
    void line(String text) {
        out.println(text);
    }

    /** Prints a line with picocli markup ({@code @|bold x|@}), colored on a terminal only. */
    void styled(String markup) {
        out.println(ansi.string(markup));
    }

    /** Prints rows under a bold header, each column as wide as its widest cell. */
    void table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        out.println(ansi.string("@|bold " + escape(format(header, width)) + "|@"));
        for (List<String> row : rows) {
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
                b.append(" ".repeat(width[c] - cell.length() + 2));
            }
        }
        return b.toString().stripTrailing();
    }

    /** Keeps picocli's markup characters in data from being read as markup. */
    static String escape(String text) {
        return text.replace("@|", "@ |").replace("|@", "| @");
    }
}
