package dev.portmanager.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document cannot drift: every route the server registers is in it, and every route in it answers. */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    @TempDir
    Path dir;

    @Test
    void openApi_listsExactlyTheRegisteredRoutes() {
        try (TestServer t = TestServer.start(dir)) {
            JsonNode doc = t.get("/openapi.json").json();

            Set<String> registered = new TreeSet<>();
            for (Api.Route r : t.server.routes()) {
                if (METHODS.contains(r.method())) {
                    registered.add(r.method() + " " + r.path());
                }
            }

            assertEquals("3.0.3", doc.get("openapi").asText());
            assertEquals(registered, documented(doc));
            assertEquals(34, doc.get("paths").size());
        }
    }

    @Test
    void everyDocumentedRoute_answers_andEveryChangeIsMarkedAsNeedingTheToken() throws Exception {
        try (TestServer t = TestServer.start(dir)) {
            t.post("/get-or-allocate", "{\"project\": \"shop\", \"service\": \"web\", \"range\": \"srv\"}");
            JsonNode doc = t.get("/openapi.json").json();
            for (String route : documented(doc)) {
                String method = route.substring(0, route.indexOf(' '));
                String template = route.substring(route.indexOf(' ') + 1);
                JsonNode op = doc.get("paths").get(template).get(method.toLowerCase(Locale.ROOT));
                String path = template.replace("{port}", String.valueOf(t.last)).replace("{range}", "srv")
                        .replace("{project}", "shop").replace("{service}", "web");
                if (path.equals("/events")) {
                    HttpResponse<InputStream> events = t.http.sendAsync(HttpRequest.newBuilder(t.uri(path))
                            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream())
                            .get(30, TimeUnit.SECONDS);
                    assertEquals(200, events.statusCode(), route);
                    events.body().close();
                    continue;
                }
                boolean yaml = path.equals("/validate/compose");
                HttpRequest.Builder b = HttpRequest.newBuilder(t.uri(path)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TestServer.TOKEN)
                        .header("Content-Type", yaml ? "application/yaml" : "application/json")
                        .method(method, method.equals("GET") || method.equals("DELETE")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(yaml ? "services: {}" : "{}"));
                TestServer.Response r = t.send(b);
                String kind = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                        && r.body().startsWith("{") ? r.json().path("error").asText() : "";
                assertTrue(r.status() < 500 && !kind.equals("not_found") && !kind.equals("method_not_allowed"),
                        route + " answered " + r.status() + " " + r.body());
                boolean write = op.has("security");
                TestServer.Response anonymous = t.send(HttpRequest.newBuilder(t.uri(path)).method(method,
                        HttpRequest.BodyPublishers.noBody()));
                assertEquals(write, anonymous.status() == 401, route + " without a token: " + anonymous.status());
                assertTrue(anonymous.status() < 500, route + " without a token or a body type answered "
                        + anonymous.status() + " " + anonymous.body());
            }
        }
    }

    private static Set<String> documented(JsonNode doc) {
        Set<String> routes = new TreeSet<>();
        for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> ops = doc.get("paths").get(path).fieldNames(); ops.hasNext(); ) {
                routes.add(ops.next().toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        return routes;
    }
}
