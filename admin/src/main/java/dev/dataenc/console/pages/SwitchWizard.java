package dev.dataenc.console.pages;

import dev.dataenc.cli.SwitchAction;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.console.Planes;
import dev.dataenc.console.auth.Authentication;
import dev.dataenc.console.switching.SwitchRun;
import dev.dataenc.console.switching.SwitchRuns;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.report.StatusDocument;
import dev.dataenc.report.SwitchPlanDocument;

import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

import java.util.Map;
import java.util.Optional;

/**
 * The switch wizard: pick the target ({@code GET /switch}), see the dry run with every guard's verdict
 * ({@code GET /switch/plan}, changes nothing), confirm ({@code POST /switch/run}), watch the re-wrap
 * ({@code GET /switch/runs/{id}}, live through server-sent events at {@code /switch/runs/{id}/events} when scripts run,
 * by reloading otherwise) and see the result; a refused switch says why and that nothing changed.
 */
public final class SwitchWizard {

    private final Planes planes;
    private final Templates templates;
    private final SwitchRuns runs;

    public SwitchWizard(Planes planes, Templates templates, SwitchRuns runs) {
        this.planes = planes;
        this.templates = templates;
        this.runs = runs;
    }

    /** Adds the routes. */
    public void addTo(RoutesConfig routes) {
        routes.get("/switch", this::choose);
        routes.get("/switch/plan", this::plan);
        routes.post("/switch/run", this::run);
        routes.get("/switch/runs/{id}", this::show);
        SseHandler sse = new SseHandler(this::events);
        routes.get("/switch/runs/{id}/events", ctx -> {
            find(ctx.pathParam("id")); // an unknown run is a 404, before the event stream (200) begins
            sse.handle(ctx);
        });
    }

    private void choose(Context ctx) {
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            StatusDocument status = StatusDocument.of(plane, planes.file().toString());
            templates.render(ctx, "switch", "Switch keystore", "/switch", Map.of("status", status));
        }
    }

    private void plan(Context ctx) {
        String target = required(ctx.queryParam("target"), "target");
        DataEncConfig cfg = planes.config();
        CipherType targetType = SwitchAction.targetType(cfg, planes.file(), target);
        try (ControlPlane plane = planes.look(Authentication.principal(ctx))) {
            CipherType current = plane.jobs().state().orElseThrow().cipherType();
            SwitchPlanDocument plan = SwitchPlanDocument.of(plane.planSwitch(target), current, targetType);
            templates.render(ctx, "switch-plan", "Switch to '" + target + "': dry run", "/switch", Map.of("plan", plan,
                    "lines", plane.planSwitch(target).lines()));
        }
    }

    private void run(Context ctx) {
        String target = required(ctx.formParam("target"), "target");
        String confirm = ctx.formParam("cipherType");
        Optional<CipherType> confirmed = confirm == null || confirm.isBlank() ? Optional.empty()
                : Optional.of(CipherType.parse(confirm).orElseThrow(() -> new BadRequestResponse("cipher type '" + confirm
                + "' is not valid; use one of " + CipherType.validValues())));
        // a target the configuration does not name is refused here (409, the plan page's answer), not by a run that
        // would start and then report FAILED, which says a switch may have begun
        SwitchAction.targetType(planes.config(), planes.file(), target);
        SwitchRun run = runs.start(target, confirmed, Authentication.principal(ctx));
        ctx.redirect("/switch/runs/" + run.snapshot().id(), HttpStatus.SEE_OTHER);
    }

    private void show(Context ctx) {
        SwitchRun.Snapshot s = find(ctx.pathParam("id")).snapshot();
        templates.render(ctx, "switch-run", "Switch to '" + s.target() + "'", "/switch", Map.of("run", s));
    }

    /** Sends {@code progress} events ({@code done total state}) until the run is over, then {@code over}. */
    private void events(SseClient client) {
        SwitchRun run = find(client.ctx().pathParam("id"));
        long seen = -1;
        try {
            while (!client.terminated()) {
                SwitchRun.Snapshot s = run.awaitChange(seen, 15_000);
                seen = s.version();
                client.sendEvent("progress", s.done() + " " + s.total() + " " + s.state() + " " + s.percent());
                if (s.over()) {
                    client.sendEvent("over", s.state().name());
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }

    private SwitchRun find(String id) {
        return runs.find(id).orElseThrow(() -> new NotFoundResponse("no such switch run (runs are kept while the"
                + " console runs)"));
    }

    static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new BadRequestResponse("choose the " + name + " first");
        }
        return value.strip();
    }
}
