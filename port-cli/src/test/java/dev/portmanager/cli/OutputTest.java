package dev.portmanager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code --json} is printed by Jackson's streaming core, byte for byte as an indenting ObjectMapper printed it. */
class OutputTest {
    @Test
    void text_isWhatAnIndentingObjectMapperPrints() throws Exception {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("port", 8080).put("pid", 12345678901L).put("big", new BigInteger("123456789012345678901234567890"))
                .put("load", 0.25).put("f", 1.5f).put("exact", new BigDecimal("1.10")).put("up", true)
                .put("command", "caf\u00e9 \"q\"\n\u0001").putNull("owner");
        doc.putArray("empty");
        doc.putObject("none");
        doc.putArray("sockets").addObject().put("address", "::").putArray("pids").add(1).add(2);
        doc.putArray("bytes").add(new byte[] {1, 2, 3});
        ObjectMapper indenting = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        assertEquals(indenting.writeValueAsString(doc), Output.text(doc));
        JsonNode array = JsonNodeFactory.instance.arrayNode().add(doc).add("x");
        assertEquals(indenting.writeValueAsString(array), Output.text(array));
    }
}
