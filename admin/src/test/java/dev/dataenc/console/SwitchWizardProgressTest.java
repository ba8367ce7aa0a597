package dev.dataenc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cli.ConsoleFixture;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.keystore.Wrapping;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch wizard's live progress, deterministically: the target keystore (a site cipher with a pause point,
 * {@link GatedCipher}) holds the re-wrap of the second old CDK while the test reads the run's page, its server-sent
 * events and the registry; then lets it finish (real console over HTTP, real H2 registry, real keystores).
 */
class SwitchWizardProgressTest {

    @TempDir
    Path dir;

    @Test
    void reWrapPausedHalfWay_pageEventsAndRegistryAgreeOnTheProgress_thenItCompletes() throws Exception {
        try (ConsoleFixture console = new ConsoleFixture(dir, "dataenc.keystores.g.type=custom\n"
                + "dataenc.keystores.g.class=" + GatedCipher.class.getName() + "\n"
                + "dataenc.keystores.g.secret-key-hex=" + "42".repeat(32) + "\n")) {
            List<Cdk> old;
            try (ControlPlane plane = console.plane()) {
                old = plane.registry().list().stream().filter(c -> c.status().protectsData()).toList();
            }
            assertTrue(old.size() >= 2, "the fixture made several CDKs: " + old.size());
            int total = old.size() + 1; // and the switch's new CDK, generated under g
            int doneAtPause = 2; // the new CDK, and the first old one re-wrapped
            GatedCipher.pauseAt(old.stream().map(c -> GatedCipher.hex(c.id().toBytes())).collect(Collectors.toSet()), 2);
            try {
                ConsoleVisitor admin = new ConsoleVisitor(console.url());
                String csrf = admin.signedIn();
                HttpResponse<String> started = admin.post("/switch/run", Map.of("_csrf", csrf, "target", "g",
                        "cipherType", "custom"));
                assertEquals(303, started.statusCode(), started.body());
                String run = started.headers().firstValue("Location").orElseThrow();
                assertTrue(GatedCipher.awaitPaused(60), "the re-wrap reached the pause point");

                // paused: the page, the event stream and the registry say the same
                String page = admin.get(run).body();
                assertTrue(page.contains("<strong id=\"run-state\">RUNNING</strong>"), page);
                assertTrue(page.contains(doneAtPause + " of " + total + " CDK(s) re-wrapped"), page);
                HttpResponse<Stream<String>> events = admin.events(run + "/events");
                assertEquals(200, events.statusCode());
                Iterator<String> lines = events.body().iterator();
                String progress = doneAtPause + " " + total + " RUNNING " + (100 * doneAtPause / total);
                assertEquals(progress, CompletableFuture.supplyAsync(() -> nextData(lines, "progress"))
                        .get(60, TimeUnit.SECONDS));
                try (ControlPlane plane = console.plane()) {
                    assertEquals("g", plane.jobs().running().orElseThrow().target(), "the switch job runs");
                    assertEquals("a", plane.jobs().state().orElseThrow().activeKeystore(), "not switched yet");
                    assertEquals(doneAtPause, plane.registry().list().stream().filter(c -> wrappedUnder(c, "g")).count(),
                            "the registry holds exactly the wrappings the page counts");
                }

                GatedCipher.release();
                String over = CompletableFuture.supplyAsync(() -> nextData(lines, "over")).get(60, TimeUnit.SECONDS);
                assertEquals("COMPLETED", over);
                String finalPage = admin.get(run).body();
                assertTrue(finalPage.contains(total + " of " + total + " CDK(s) re-wrapped"), finalPage);
                assertTrue(finalPage.contains("now names 'g'"), finalPage);
            } finally {
                GatedCipher.release();
            }
            try (ControlPlane plane = console.plane()) {
                assertEquals("g", plane.jobs().state().orElseThrow().activeKeystore());
                assertTrue(plane.registry().list().stream().filter(c -> c.status().protectsData())
                        .allMatch(c -> wrappedUnder(c, "g")), "every CDK in use has a wrapping under g");
            }
            assertEquals("g", ConfigLoader.load(console.config()).activeKeystore());
        }
    }

    private static boolean wrappedUnder(Cdk cdk, String keystore) {
        return cdk.wrappings().stream().map(Wrapping::keystoreName).anyMatch(keystore::equals);
    }

    /** The data of the next server-sent event named {@code name}, skipping others. */
    private static String nextData(Iterator<String> lines, String name) {
        boolean inEvent = false;
        List<String> seen = new java.util.ArrayList<>();
        while (lines.hasNext()) {
            String line = lines.next();
            seen.add(line);
            if (line.startsWith("event:")) {
                inEvent = line.substring("event:".length()).strip().equals(name);
            } else if (inEvent && line.startsWith("data:")) {
                return line.substring("data:".length()).strip();
            }
        }
        throw new AssertionError("the event stream ended before a '" + name + "' event: " + seen);
    }

}
