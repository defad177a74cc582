package dev.portmanager.probe;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Windows tasklist /FO CSV /NH parser on recorded output. */
class TasklistParserTest {
    @Test
    void parse_namesEveryPid_keepingCommasAndDoubledQuotesInsideFields() {
        Map<Long, String> names = TasklistParser.parse(Recorded.text("windows/tasklist.csv"));
        assertEquals("System", names.get(4L));
        assertEquals("svchost.exe", names.get(1032L));
        assertEquals("python.exe", names.get(12345L));
        assertEquals("My \"quoted\" tool.exe", names.get(7788L));
        assertEquals(7, names.size(), "pid 0, the idle process, is no owner: " + names);
    }

    @Test
    void csv_splitsQuotedFields() {
        List<String> fields = new ArrayList<>();
        String row = "\"a,b\",\"2\",plain,\"\"\r";
        TasklistParser.csv(row, fields);
        assertEquals(List.of("a,b", "2", "plain", ""), fields);
    }
}
