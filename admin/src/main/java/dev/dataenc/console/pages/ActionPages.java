package dev.dataenc.console.pages;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cli.CdkActions;
import dev.dataenc.console.Planes;
import dev.dataenc.console.auth.Authentication;
import dev.dataenc.console.auth.Principal;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchProgress;
import dev.dataenc.report.StatusDocument;
import dev.dataenc.report.VerifyDocument;
import dev.dataenc.report.WrappingRemovalDocument;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rotate CDK, verify and remove wrappings: each page shows what is there (looking changes nothing) and runs its action
 * on POST, through the same control plane calls and checks as {@code dataenc rotate-cdk}, {@code verify} and
 * {@code remove-wrappings} ({@link CdkActions}), audited with the signed-in admin as the actor.
 */
public final class ActionPages {

    private final Planes planes;
    private final Templates templates;

    public ActionPages(Planes planes, Templates templates) {
        this.planes = planes;
        this.templates = templates;
    }

    /** Adds the routes. */
    public void addTo(RoutesConfig routes) {
        routes.get("/rotate", ctx -> rotatePage(ctx, List.of()));
        routes.post("/rotate", this::rotate);
        routes.get("/verify", ctx -> templates.render(ctx, "verify", "Verify", "/verify", Map.of("result",
                Optional.empty())));
        routes.post("/verify", this::verify);
        routes.get("/remove-wrappings", ctx -> removePage(ctx, Optional.empty()));
        routes.post("/remove-wrappings", this::remove);
    }

    private void rotatePage(Context ctx, List<String> result) {
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            StatusDocument status = StatusDocument.of(plane, planes.file().toString());
            templates.render(ctx, "rotate", "Rotate CDK", "/rotate", Map.of("status", status, "result", result));
        }
    }

    private void rotate(Context ctx) {
        Principal who = Authentication.principal(ctx);
        String reason = Optional.ofNullable(ctx.formParam("reason")).map(String::strip).filter(r -> !r.isEmpty())
                .orElse("from the console");
        List<String> result;
        try (ControlPlane plane = planes.act(who, planes.config(), SwitchProgress.NONE)) {
            Optional<Cdk> old = plane.registry().findActive();
            Cdk cdk = plane.rotateCdk(reason);
            result = CdkActions.rotatedLines(old, cdk);
        }
        rotatePage(ctx, result);
    }

    private void verify(Context ctx) {
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            VerifyDocument doc = VerifyDocument.of(plane.verify());
            templates.render(ctx, "verify", "Verify", "/verify", Map.of("result", Optional.of(doc)));
        }
    }

    private void removePage(Context ctx, Optional<WrappingRemovalDocument> result) {
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            StatusDocument status = StatusDocument.of(plane, planes.file().toString());
            templates.render(ctx, "remove-wrappings", "Remove wrappings", "/remove-wrappings", Map.of("status", status,
                    "result", result));
        }
    }

    private void remove(Context ctx) {
        String keystore = SwitchWizard.required(ctx.formParam("keystore"), "keystore");
        boolean dryRun = !"remove".equals(ctx.formParam("mode"));
        Principal who = Authentication.principal(ctx);
        WrappingRemovalDocument doc;
        try (ControlPlane plane = dryRun ? planes.look(who) : planes.act(who, planes.config(), SwitchProgress.NONE)) {
            doc = CdkActions.removeWrappings(plane, keystore, dryRun);
        }
        removePage(ctx, Optional.of(doc));
    }
}
