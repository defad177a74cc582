package dev.portmanager.server;

import dev.portmanager.AllocationExistsException;
import dev.portmanager.AllocationNotFoundException;
import dev.portmanager.NoFreePortException;
import dev.portmanager.PortConflictException;
import dev.portmanager.PortManagerException;
import dev.portmanager.RangeConflictException;
import dev.portmanager.StoreCorruptedException;
import dev.portmanager.StoreUnavailableException;
import dev.portmanager.probe.ProbeUnavailableException;
import dev.portmanager.wire.ErrorJson;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure as {@code {"error": kind, "message": ...}} with the status that fits, never a stack trace: 400 bad
 * input (the message names the value), 401/403 token and origin, 404 nothing there, 409 the registry's state
 * (conflicts, existing allocations, a full range), 413 too large, 415 wrong body type, 503 the store or the probe
 * unavailable, 500 a defect (logged with its trace, answered without). Thread-safe.
 */
final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(PortServer.class);

    /** Marks an answer this class wrote, so that the 404 and 405 handlers leave it alone. */
    private static final String ANSWERED = "portserver.answered";

    private final PortServer.Settings s;

    Failures(PortServer.Settings settings) {
        this.s = settings;
    }

    void handle(Exception e, Context ctx) {
        if (e instanceof Guard.Refusal) {
            Guard.Refusal r = (Guard.Refusal) e;
            answer(ctx, r.status, r.kind, r.getMessage());
            return;
        }
        if (e instanceof HttpResponseException) {
            int status = ((HttpResponseException) e).getStatus();
            if (status == 413) {
                Guard.Refusal r = Guard.tooLarge(s.maxBodyBytes);
                answer(ctx, r.status, r.kind, r.getMessage());
            } else {
                answer(ctx, status, "http_" + status, e.getMessage());
            }
            return;
        }
        int status = status(e);
        if (status == 500) {
            LOG.error("[portserver] {} {} failed", ctx.method(), ctx.path(), e);
            answer(ctx, 500, "internal", "the server failed (" + e.getClass().getSimpleName() + "); its log has the "
                    + "details");
            return;
        }
        LOG.debug("[portserver] {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status);
        Api.json(ctx, ErrorJson.error(e, HttpRemedies.WORDS));
    }

    /** A request no route matched, or a method the path does not take. */
    static void unmatched(Context ctx, int status) {
        if (ctx.attribute(ANSWERED) != null) {
            return;
        }
        answer(ctx, status, status == 404 ? "not_found" : "method_not_allowed", (status == 404 ? "no route " : "the "
                + "route does not take ") + ctx.method() + " " + ctx.path() + "; /openapi.json lists every route");
    }

    static int status(Throwable e) {
        if (e instanceof AllocationNotFoundException) {
            return 404;
        }
        if (e instanceof NoFreePortException || e instanceof PortConflictException
                || e instanceof AllocationExistsException || e instanceof RangeConflictException) {
            return 409;
        }
        if (e instanceof StoreUnavailableException || e instanceof StoreCorruptedException
                || e instanceof ProbeUnavailableException) {
            return 503;
        }
        if (e instanceof PortManagerException || e instanceof IllegalArgumentException) {
            return 400;
        }
        if (e instanceof IllegalStateException) {
            return 409;
        }
        return 500;
    }

    private static void answer(Context ctx, int status, String kind, String message) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status);
        Api.json(ctx, ErrorJson.error(kind, message));
    }
}
