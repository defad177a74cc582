package dev.portmanager.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What IDEs read to complete the properties, and how store URIs are shown. */
class ConfigurationMetadataTest {

    @Test
    void metadata_listsEveryPropertyWithItsDefault() throws IOException {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        for (JsonNode p : metadata.get("properties")) {
            if (p.get("name").asText().startsWith("portmanager.")) {
                defaults.put(p.get("name").asText(), p.has("defaultValue") ? p.get("defaultValue").asText() : null);
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("portmanager.enabled", "true");
        expected.put("portmanager.ports", null);
        expected.put("portmanager.project", null);
        expected.put("portmanager.range", null);
        expected.put("portmanager.service", "http");
        expected.put("portmanager.store", null);
        assertEquals(expected, defaults);
        List<String> hinted = metadata.get("hints").findValuesAsText("name");
        assertEquals(List.of("portmanager.ports.keys", "portmanager.store"), hinted);
    }
}
