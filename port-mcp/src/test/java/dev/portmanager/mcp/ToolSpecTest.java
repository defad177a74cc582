package dev.portmanager.mcp;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One declaration gives a tool's schema and the reading of its arguments. */
class ToolSpecTest {
    private final ToolSpec spec = ToolSpec.named("demo", "Demo", "A demo tool.")
            .string("projectName", true, "consilio", "the project")
            .choice("protocol", List.of("tcp", "udp"), "the protocol")
            .port("port", false, "the port")
            .build();

    @Test
    void inputSchema_listsEachParameterWithItsTypeAndTheRequiredOnes_andNoOther() {
        Map<String, Object> expected = Map.of(
                "type", "object",
                "properties", Map.of(
                        "projectName", Map.of("type", "string", "description", "the project"),
                        "protocol", Map.of("type", "string", "description", "the protocol",
                                "enum", List.of("tcp", "udp")),
                        "port", Map.of("type", "integer", "description", "the port", "minimum", 1,
                                "maximum", 65_535)),
                "required", List.of("projectName"),
                "additionalProperties", false);
        assertEquals(expected, spec.inputSchema());
    }

    @Test
    void inputSchema_whenNothingIsRequired_hasNoRequiredList() {
        Map<String, Object> schema = ToolSpec.named("audit", "Audit", "Audits.").build().inputSchema();
        assertEquals(Map.of("type", "object", "properties", Map.of(), "additionalProperties", false), schema);
    }

    @Test
    void read_whenAnArgumentIsUnknown_namesTheArgumentsTheToolTakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> spec.read(Map.of("project", "consilio")));
        assertEquals("demo takes no argument 'project'; it takes projectName, protocol, port", e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> ToolSpec.named("audit", "Audit", "Audits.").build().read(Map.of("x", 1)));
        assertEquals("audit takes no argument 'x'; it takes none", none.getMessage());
    }

    @Test
    void read_whenARequiredArgumentIsMissingOrNull_saysWhatToPass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.read(null));
        assertEquals("demo needs projectName: the project", e.getMessage());
        Map<String, Object> nullProject = new HashMap<>();
        nullProject.put("projectName", null);
        assertEquals("demo needs projectName: the project",
                assertThrows(IllegalArgumentException.class, () -> spec.read(nullProject)).getMessage());
    }

    @Test
    void read_whenATypeIsWrong_namesTheArgumentTheTypeAndAnExample() {
        assertEquals("port must be an integer, such as 8080; got \"eighty\"", assertThrows(
                IllegalArgumentException.class, () -> spec.read(Map.of("projectName", "p", "port", "eighty")))
                .getMessage());
        assertEquals("port must be an integer, such as 8080; got 80.5", assertThrows(IllegalArgumentException.class,
                () -> spec.read(Map.of("projectName", "p", "port", 80.5))).getMessage());
        assertEquals("port must be an integer, such as 8080; got 99999999999", assertThrows(
                IllegalArgumentException.class, () -> spec.read(Map.of("projectName", "p", "port", 99_999_999_999L)))
                .getMessage());
        assertEquals("projectName must be a string, such as \"consilio\"; got 7", assertThrows(
                IllegalArgumentException.class, () -> spec.read(Map.of("projectName", 7))).getMessage());
        assertEquals("protocol must be a string, such as \"tcp\"; got true", assertThrows(
                IllegalArgumentException.class, () -> spec.read(Map.of("projectName", "p", "protocol", true)))
                .getMessage());
    }

    @Test
    void read_takesIntegersAsJsonNumbersOrDigits_andLeavesAbsentOnesNull() {
        assertEquals(8080, spec.read(Map.of("projectName", "p", "port", 8080)).integer("port"));
        assertEquals(8080, spec.read(Map.of("projectName", "p", "port", 8080L)).integer("port"));
        assertEquals(8080, spec.read(Map.of("projectName", "p", "port", 8080.0)).integer("port"));
        assertEquals(8080, spec.read(Map.of("projectName", "p", "port", " 8080 ")).integer("port"));
        ToolSpec.Args args = spec.read(Map.of("projectName", "p"));
        assertEquals("p", args.string("projectName"));
        assertNull(args.integer("port"));
        assertFalse(args.has("protocol"));
    }
}
