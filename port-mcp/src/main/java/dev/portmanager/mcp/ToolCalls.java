package dev.portmanager.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portmanager.PortManagerException;
import dev.portmanager.wire.ErrorJson;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;

/**
 * Turns a tool into the SDK's tool and its calls into results: the outcome's text and JSON, or, for any failure, a
 * tool error with the failure's message (the line the CLI prints after {@code portman <command>:}) and port-wire's
 * error form. A failure never escapes a call. Thread-safe.
 */
final class ToolCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ToolCalls.class);

    private ToolCalls() {
    }

    static McpServerFeatures.SyncToolSpecification specification(PortTools.Tool tool, McpJsonMapper mapper) {
        ToolSpec spec = tool.spec();
        McpSchema.Tool declared = McpSchema.Tool.builder(spec.name, spec.inputSchema())
                .title(spec.title)
                .description(spec.description)
                .annotations(McpSchema.ToolAnnotations.builder()
                        .title(spec.title)
                        .readOnlyHint(tool.readOnly())
                        .destructiveHint(false)
                        .idempotentHint(tool.readOnly() || spec.name.equals("get-port"))
                        .openWorldHint(false)
                        .build())
                .build();
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(declared)
                .callHandler((exchange, request) -> call(tool, request.arguments(), mapper))
                .build();
    }

    /** Runs the tool on the arguments; every failure becomes a tool error. */
    static McpSchema.CallToolResult call(PortTools.Tool tool, Map<String, Object> arguments, McpJsonMapper mapper) {
        String name = tool.spec().name;
        try {
            PortTools.Outcome outcome = tool.run().apply(tool.spec().read(arguments));
            LOG.debug("{}: {}", name, outcome.summary());
            return McpSchema.CallToolResult.builder()
                    .addTextContent(outcome.summary())
                    .addTextContent(mapper.writeValueAsString(outcome.json()))
                    .structuredContent(outcome.json())
                    .isError(false)
                    .build();
        } catch (RuntimeException | IOException e) {
            return failure(name, e);
        }
    }

    static McpSchema.CallToolResult failure(String tool, Exception e) {
        ObjectNode error = ErrorJson.error(e, ToolRemedies.WORDS);
        if (e instanceof PortManagerException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            LOG.debug("{} refused: {}", tool, e.getMessage());
        } else {
            LOG.warn("{} failed", tool, e);
        }
        return McpSchema.CallToolResult.builder()
                .addTextContent(error.get("message").asText())
                .structuredContent(error)
                .isError(true)
                .build();
    }
}
