package dev.dataenc.console.api;

import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cli.CdkActions;
import dev.dataenc.cli.SwitchAction;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.console.CdkStatuses;
import dev.dataenc.console.Planes;
import dev.dataenc.console.auth.Authentication;
import dev.dataenc.console.auth.Principal;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchProgress;
import dev.dataenc.report.AuditDocument;
import dev.dataenc.report.CdkListDocument;
import dev.dataenc.report.ReportDocument;
import dev.dataenc.report.ReportJson;
import dev.dataenc.report.StatusDocument;
import dev.dataenc.report.SwitchPlanDocument;
import dev.dataenc.report.VerifyDocument;
import dev.dataenc.report.WrappingRemovalDocument;

import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The JSON API under {@code /api/}: the same {@link ReportDocument}s as the CLI's {@code --json} (schema:
 * docs/JSON.md), for a session or the bearer token. Reading: {@code GET /api/status}, {@code /api/cdks?status=S},
 * {@code /api/audit?limit=N}, {@code /api/verify}, {@code /api/switch/plan?target=K}. Acting (POST, with the CSRF
 * header for a session): {@code /api/switch} ({@code target}, {@code cipherType}; answers the status after it),
 * {@code /api/rotate-cdk} ({@code reason}; answers the status), {@code /api/remove-wrappings} ({@code keystore},
 * {@code dryRun}). A refusal answers 409 with {@code {"error": "..."}}.
 */
public final class ApiRoutes {

    private final Planes planes;

    public ApiRoutes(Planes planes) {
        this.planes = planes;
    }

    /** Adds the routes. */
    public void addTo(RoutesConfig routes) {
        routes.get("/api/status", ctx -> look(ctx, plane -> StatusDocument.of(plane, planes.file().toString())));
        routes.get("/api/cdks", ctx -> look(ctx, plane -> CdkListDocument.of(plane, CdkStatuses.parse(ctx.queryParams("status")))));
        routes.get("/api/audit", ctx -> {
            int limit = limit(param(ctx, "limit"));
            look(ctx, plane -> {
                List<AuditEvent> events = plane.audit().recent(limit);
                return AuditDocument.of(limit, events);
            });
        });
        routes.get("/api/verify", ctx -> look(ctx, plane -> VerifyDocument.of(plane.verify())));
        routes.get("/api/switch/plan", ctx -> {
            String target = required(ctx, "target");
            DataEncConfig cfg = planes.config();
            CipherType targetType = SwitchAction.targetType(cfg, planes.file(), target);
            look(ctx, plane -> SwitchPlanDocument.of(plane.planSwitch(target),
                    plane.jobs().state().orElseThrow().cipherType(), targetType));
        });
        routes.post("/api/switch", this::switchKeystore);
        routes.post("/api/rotate-cdk", ctx -> {
            String reason = Optional.ofNullable(param(ctx, "reason")).orElse("from the console API");
            Principal who = Authentication.principal(ctx);
            try (ControlPlane plane = planes.act(who, planes.config(), SwitchProgress.NONE)) {
                plane.rotateCdk(reason);
                send(ctx, StatusDocument.of(plane, planes.file().toString()));
            }
        });
        routes.post("/api/remove-wrappings", ctx -> {
            String keystore = required(ctx, "keystore");
            boolean dryRun = dryRun(ctx);
            Principal who = Authentication.principal(ctx);
            try (ControlPlane plane = dryRun ? planes.look(who) : planes.act(who, planes.config(), SwitchProgress.NONE)) {
                WrappingRemovalDocument doc = CdkActions.removeWrappings(plane, keystore, dryRun);
                send(ctx, doc);
            }
        });
    }

    private void switchKeystore(Context ctx) throws IOException {
        String target = required(ctx, "target");
        String type = param(ctx, "cipherType");
        Optional<CipherType> confirmed = type == null ? Optional.empty() : Optional.of(CipherType.parse(type)
                .orElseThrow(() -> new BadRequestResponse("cipherType '" + type + "' is not valid; use one of "
                        + CipherType.validValues())));
        DataEncConfig cfg = planes.config();
        SwitchAction.targetType(cfg, planes.file(), target);
        try (ControlPlane plane = planes.act(Authentication.principal(ctx), cfg, SwitchProgress.NONE)) {
            SwitchAction.run(plane, planes.file(), cfg, target, confirmed);
            send(ctx, StatusDocument.of(plane, planes.file().toString()));
        }
    }

    /** A report built on the control plane opened to look. */
    private interface Report {
        ReportDocument of(ControlPlane plane);
    }

    private void look(Context ctx, Report report) {
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            send(ctx, report.of(plane));
        }
    }

    private static void send(Context ctx, ReportDocument doc) {
        ctx.contentType("application/json; charset=utf-8").result(ReportJson.write(doc) + "\n");
    }

    /**
     * The parameter {@code name} from the form or the query string, or null.
     *
     * @throws BadRequestResponse if it is given more than once (form and query together count): which one was meant is
     *                            not guessed
     */
    private static String param(Context ctx, String name) {
        List<String> given = new java.util.ArrayList<>(ctx.formParams(name));
        given.addAll(ctx.queryParams(name));
        if (given.size() > 1) {
            throw new BadRequestResponse("parameter '" + name + "' is given " + given.size() + " times; give it once");
        }
        String v = given.isEmpty() ? null : given.get(0);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** {@code dryRun}: true unless {@code false} (any case). */
    private static boolean dryRun(Context ctx) {
        String v = param(ctx, "dryRun");
        if (v == null || v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new BadRequestResponse("dryRun must be true or false, not '" + v + "'");
    }

    private static String required(Context ctx, String name) {
        String v = param(ctx, name);
        if (v == null) {
            throw new BadRequestResponse("parameter '" + name + "' is missing");
        }
        return v;
    }

    private static int limit(String s) {
        try {
            int limit = s == null ? 50 : Integer.parseInt(s.strip());
            if (limit < 1) {
                throw new NumberFormatException();
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("limit must be a whole number of at least 1");
        }
    }
}
