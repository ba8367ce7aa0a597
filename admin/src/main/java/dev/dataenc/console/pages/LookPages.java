package dev.dataenc.console.pages;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.console.CdkStatuses;
import dev.dataenc.console.Planes;
import dev.dataenc.console.auth.Authentication;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.transition.CipherTransition;
import dev.dataenc.report.AuditEventInfo;
import dev.dataenc.report.CdkInfo;
import dev.dataenc.report.CdkListDocument;
import dev.dataenc.report.KeystoreInfo;
import dev.dataenc.report.StatusDocument;

import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The pages that only look: overview, keystores, CDKs, migrations and audit. Each opens the control plane to look
 * ({@link Planes#look}), so showing them changes nothing, and shows the same documents as the CLI's {@code --json}.
 */
public final class LookPages {

    /** How many of the most recent audit events the audit page searches. */
    static final int AUDIT_WINDOW = 1000;

    private final Planes planes;
    private final Templates templates;

    public LookPages(Planes planes, Templates templates) {
        this.planes = planes;
        this.templates = templates;
    }

    /** Adds the routes. */
    public void addTo(RoutesConfig routes) {
        routes.get("/", this::overview);
        routes.get("/keystores", this::keystores);
        routes.get("/cdks", this::cdks);
        routes.get("/migrations", this::migrations);
        routes.get("/audit", this::audit);
    }

    private void overview(Context ctx) {
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            StatusDocument status = StatusDocument.of(plane, planes.file().toString());
            templates.render(ctx, "overview", "Overview", "/", Map.of("status", status,
                    "warnings", warnings(status), "cluster", plane.cluster().lines()));
        }
    }

    /** What needs an admin's attention, each with its remedy. */
    static List<String> warnings(StatusDocument s) {
        List<String> out = new ArrayList<>();
        for (KeystoreInfo k : s.keystores()) {
            if (!k.opened()) {
                out.add("keystore '" + k.name() + "' cannot be opened: " + k.error());
            } else if (!"ENABLED".equals(k.masterKeyState())) {
                out.add("keystore '" + k.name() + "': master key " + k.masterKeyId() + " is " + k.masterKeyState()
                        + (k.active() ? " - it is the active keystore: nothing can be encrypted; enable it or switch"
                        + " to another keystore" : " - it cannot take part in a switch until enabled"
                        + " (dataenc keystore enable " + k.name() + ")"));
            }
        }
        if (s.activeCdk() == null) {
            out.add("there is no ACTIVE CDK yet: the first application start (or Rotate CDK) generates one");
        } else if (s.activeCdk().rotationDue()) {
            out.add("the ACTIVE CDK is due for rotation: " + s.activeCdk().rotationDueReason() + " (Rotate CDK)");
        }
        if (s.runningSwitch() != null) {
            out.add("a keystore switch is unfinished: '" + s.runningSwitch().source() + "' -> '"
                    + s.runningSwitch().target() + "' (" + s.runningSwitch().phase() + "); resume it on the Switch page");
        }
        if (!s.activeKeystore().equals(s.configuredActiveKeystore())) {
            out.add("the configuration file names '" + s.configuredActiveKeystore() + "' but the registry's active"
                    + " keystore is '" + s.activeKeystore() + "'");
        }
        return out;
    }

    private void keystores(Context ctx) {
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            StatusDocument status = StatusDocument.of(plane, planes.file().toString());
            templates.render(ctx, "keystores", "Keystores", "/keystores", Map.of("keystores", status.keystores(),
                    "byKeystore", status.cdksByKeystore()));
        }
    }

    private void cdks(Context ctx) {
        List<String> statuses = ctx.queryParams("status").stream().filter(s -> !s.isBlank()).toList();
        String keystore = ctx.queryParam("keystore") == null ? "" : ctx.queryParam("keystore").strip();
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            CdkListDocument doc = CdkListDocument.of(plane, CdkStatuses.parse(statuses));
            List<CdkInfo> shown = doc.cdks().stream().filter(c -> keystore.isEmpty()
                    || c.wrappings().stream().anyMatch(w -> w.keystore().equals(keystore))).toList();
            if (!keystore.isEmpty() && shown.isEmpty() && !plane.keystores().settings().containsKey(keystore)
                    && CdkListDocument.of(plane, java.util.Set.of()).cdks().stream().noneMatch(c -> c.wrappings()
                    .stream().anyMatch(w -> w.keystore().equals(keystore)))) { // a typo would show an empty table as if no CDK were wrapped by it
                throw new BadRequestResponse("keystore '" + keystore + "' is neither configured nor wraps any CDK;"
                        + " configured keystores: " + String.join(", ", plane.keystores().settings().keySet()));
            }
            templates.render(ctx, "cdks", "CDKs", "/cdks", Map.of("doc", doc, "shown", shown, "keystore", keystore,
                    "keystores", plane.keystores().settings().keySet().stream().toList(),
                    "allStatuses", Arrays.stream(CdkStatus.values()).map(Enum::name).toList()));
        }
    }

    private void migrations(Context ctx) {
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            StatusDocument status = StatusDocument.of(plane, planes.file().toString());
            List<CipherTransition> transitions = plane.cipherTransitions().all();
            templates.render(ctx, "migrations", "Migrations", "/migrations", Map.of("migrations", status.migrations(),
                    "transitions", transitions));
        }
    }

    private void audit(Context ctx) {
        AuditFilter filter = AuditFilter.of(ctx.queryParam("action"), ctx.queryParam("actor"), ctx.queryParam("since"));
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            List<AuditEvent> recent = plane.audit().recent(AUDIT_WINDOW);
            List<AuditEventInfo> shown = new ArrayList<>(recent.stream().filter(filter::accepts).map(AuditEventInfo::of)
                    .toList());
            Collections.reverse(shown); // newest first
            templates.render(ctx, "audit", "Audit", "/audit", Map.of("events", shown, "filter", filter,
                    "actions", Arrays.stream(AuditAction.values()).map(Enum::name).sorted().toList(),
                    "window", AUDIT_WINDOW));
        }
    }
}
