package dev.dataenc.console.switching;

import dev.dataenc.cli.SwitchAction;
import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.console.Planes;
import dev.dataenc.console.auth.Principal;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.SwitchRefusedException;
import dev.dataenc.error.DataEncException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keystore switches started from the console, run one at a time in the background through {@link SwitchAction}
 * (the same guarded, file-first switch as {@code dataenc switch}), kept for reading their progress and result.
 */
public final class SwitchRuns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchRuns.class);
    private static final int KEEP = 50;

    private final Planes planes;
    private final Map<String, SwitchRun> runs = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dataenc-console-switch");
        t.setDaemon(true);
        return t;
    });

    public SwitchRuns(Planes planes) {
        this.planes = planes;
    }

    /** Starts a switch to {@code target} by {@code who}; {@code confirmed} confirms a change of cipher type. */
    public SwitchRun start(String target, Optional<CipherType> confirmed, Principal who) {
        if (runs.size() >= KEEP) {
            runs.values().removeIf(r -> r.snapshot().over());
        }
        SwitchRun run = new SwitchRun(UUID.randomUUID().toString(), target, who.actor(), Instant.now());
        runs.put(run.snapshot().id(), run);
        worker.execute(() -> execute(run, target, confirmed, who));
        return run;
    }

    /** The run with this id, if kept. */
    public Optional<SwitchRun> find(String id) {
        return Optional.ofNullable(id == null ? null : runs.get(id));
    }

    private void execute(SwitchRun run, String target, Optional<CipherType> confirmed, Principal who) {
        try {
            DataEncConfig cfg = planes.config();
            SwitchAction.targetType(cfg, planes.file(), target);
            try (ControlPlane plane = planes.act(who, cfg, run)) {
                SwitchAction.Result result = SwitchAction.run(plane, planes.file(), cfg, target, confirmed);
                run.finish(SwitchRun.State.COMPLETED, SwitchAction.outcomeLines(plane, result, planes.file(), target));
            }
        } catch (SwitchRefusedException e) {
            run.finish(SwitchRun.State.REFUSED, List.of(oneLine(e), "Nothing was changed."));
        } catch (DataEncException e) {
            run.finish(SwitchRun.State.FAILED, List.of(oneLine(e)));
        } catch (Exception e) {
            LOG.error("switch to '{}' failed", target, e);
            List<String> lines = new ArrayList<>();
            lines.add("the switch failed with an internal error (see the console's log); run 'dataenc"
                    + " status' and 'dataenc switch " + target + "' to resume");
            run.finish(SwitchRun.State.FAILED, lines);
        }
    }

    private static String oneLine(Exception e) {
        return String.valueOf(e.getMessage()).replaceAll("\\R\\s*", " ");
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
