package dev.portmanager.server;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;

import java.util.Locale;
import java.util.Set;

/**
 * What every matched request passes before its handler: the token, the origin, the body's type and size. Refusals
 * are {@link Refusal}s, which {@link Failures} answers. Thread-safe.
 */
final class Guard {
    private static final Set<String> YAML_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml",
            "text/x-yaml");
    /** Pages that hold no data: served without the token even beyond loopback, so the dashboard can ask for it. */
    private static final Set<String> OPEN_PAGES = Set.of("/", "/dashboard.js");

    private final PortServer.Settings s;

    Guard(PortServer.Settings settings) {
        this.s = settings;
    }

    void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        boolean write = roles.contains(Api.Access.WRITE);
        if (write || !s.loopback && !OPEN_PAGES.contains(ctx.path())) {
            String authorization = ctx.header("Authorization");
            String where = s.token.file() != null ? "the token in " + s.token.file() : "the server's token";
            if (authorization == null || authorization.isBlank()) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new Refusal(401, "unauthorized", (write ? "this route changes the registry" : "this server "
                        + "listens beyond loopback") + " and needs a token: send Authorization: Bearer <" + where
                        + ">");
            }
            if (!s.token.matches(authorization)) {
                throw new Refusal(403, "forbidden", "the bearer token is not this server's; send " + where);
            }
        }
        if (write) {
            String origin = ctx.header("Origin");
            if (origin != null && !isOwnOrigin(origin, ctx)) {
                throw new Refusal(403, "cross_origin", "a page of " + origin + " may not change this registry; "
                        + "changes come from programs, or from a page of the server itself");
            }
        }
        String type = mediaType(ctx.header("Content-Type"));
        if (roles.contains(Api.Access.JSON) && !"application/json".equals(type)) {
            throw new Refusal(415, "unsupported_media_type", "this route reads JSON: send the body with "
                    + "Content-Type: application/json (got " + (type == null ? "none" : type) + ")");
        }
        if (roles.contains(Api.Access.YAML) && (type == null || !YAML_TYPES.contains(type))) {
            throw new Refusal(415, "unsupported_media_type", "this route reads a docker-compose file: send it "
                    + "with Content-Type: application/yaml (got " + (type == null ? "none" : type) + ")");
        }
        long length = ctx.req().getContentLengthLong();
        if (length > s.maxBodyBytes) {
            throw tooLarge(s.maxBodyBytes);
        }
    }

    static Refusal tooLarge(long max) {
        return new Refusal(413, "too_large", "the request body is over " + max + " bytes; send a smaller one");
    }

    /** Headers on every answer: no framing, no sniffing, scripts only from the server; never CORS headers. */
    static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "frame-ancestors 'none'");
        ctx.header("Cache-Control", "no-store");
    }

    private boolean isOwnOrigin(String origin, Context ctx) {
        String o = origin.toLowerCase(Locale.ROOT);
        int port = ctx.port();
        if (o.equals("http://" + s.bind.toLowerCase(Locale.ROOT) + ":" + port)
                || o.equals("http://[" + s.bind.toLowerCase(Locale.ROOT) + "]:" + port)) {
            return true;
        }
        return s.loopback && (o.equals("http://localhost:" + port) || o.equals("http://127.0.0.1:" + port)
                || o.equals("http://[::1]:" + port));
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** A request refused before its handler ran. */
    static final class Refusal extends RuntimeException {
        final int status;
        final String kind;

        Refusal(int status, String kind, String message) {
            super(message, null, false, false);
            this.status = status;
            this.kind = kind;
        }
    }
}
