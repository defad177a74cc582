package dev.portmanager.probe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Windows {@code tasklist /FO CSV /NH}: rows such as {@code "svchost.exe","1000","Services","0","12,345 K"},
 * quoted CSV whose fields may hold commas, and quotes doubled inside a field. Stateless and thread-safe.
 */
final class TasklistParser {
    private TasklistParser() {
    }

    /** Image names by pid. */
    static Map<Long, String> parse(String output) {
        Map<Long, String> names = new HashMap<>();
        List<String> fields = new ArrayList<>(5);
        for (String line : output.split("\n")) {
            csv(line, fields);
            if (fields.size() >= 2) {
                String pidText = fields.get(1);
                long pid = Digits.decimal(pidText, 0, pidText.length());
                if (pid > 0) {
                    names.put(pid, fields.get(0));
                }
            }
        }
        return names;
    }

    /** The fields of one CSV row; a trailing carriage return is dropped. */
    static void csv(String s, List<String> out) {
        out.clear();
        int from = 0;
        int to = s.length();
        if (to > from && s.charAt(to - 1) == '\r') {
            to--;
        }
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < to && s.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (to > from) {
            out.add(field.toString());
        }
    }
}
