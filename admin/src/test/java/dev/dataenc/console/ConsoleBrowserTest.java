package dev.dataenc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cli.ConsoleFixture;
import dev.dataenc.control.ControlPlane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser: {@code dataenc serve} in-process, then one run of
 * {@code node src/test/browser/console-flows.mjs <url> <screenshot dir>} (Playwright driving Debian's Chromium,
 * headless) through sign-in, overview, a switch through the wizard, a refused switch, a rotation and the audit trail.
 * Screenshots go to {@code target/console-screenshots}, or to the directory in {@code -Dconsole.screenshots=...}
 * ({@code docs/images} refreshes the documentation's). Needs node, {@code npm ci} in src/test/browser and
 * {@code /usr/bin/chromium} (.ci/run installs them); skipped without them, except under {@code CI=true}.
 */
class ConsoleBrowserTest {

    private static final Path SCRIPT_DIR = Path.of("src/test/browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @Test
    void browserFlows_signInSwitchRefuseRotateAndAudit(@TempDir Path dir) throws Exception {
        boolean ready = Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))
                && Files.isExecutable(CHROMIUM) && onPath("node");
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(ready, "needs node, npm ci in admin/src/test/browser and " + CHROMIUM);
        }
        Path shots = Path.of(System.getProperty("console.screenshots", "target/console-screenshots")).toAbsolutePath();
        try (ConsoleFixture console = new ConsoleFixture(dir)) {
            ProcessBuilder pb = new ProcessBuilder("node", "console-flows.mjs", console.url(), shots.toString())
                    .directory(SCRIPT_DIR.toFile()).redirectErrorStream(true);
            pb.environment().put("CONSOLE_ADMIN", ConsoleFixture.ADMIN);
            pb.environment().put("CONSOLE_PASSWORD", ConsoleFixture.PASSWORD);
            Process node = pb.start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = node.waitFor();
            System.out.println(output);

            assertEquals(0, code, output);
            assertTrue(output.contains("console flows: all passed"), output);
            try (ControlPlane plane = console.plane()) {
                assertEquals("b", plane.jobs().state().orElseThrow().activeKeystore(), "the wizard's switch");
                List<AuditEvent> rotated = plane.audit().byAction(AuditAction.CDK_ROTATED);
                assertTrue(rotated.get(rotated.size() - 1).actor().startsWith("console:alice@127.0.0.1"),
                        rotated.toString());
                assertTrue(plane.audit().byAction(AuditAction.SWITCH_COMPLETED).stream()
                        .anyMatch(e -> e.actor().startsWith("console:alice@")), "the switch's actor");
            }
            assertTrue(Files.readString(console.config()).contains("dataenc.keystore.active=b"),
                    "the configuration file names the new active keystore");
        }
        for (String page : List.of("login", "overview", "cdks", "switch-plan", "switch-result", "switch-refused", "audit")) {
            assertTrue(Files.size(shots.resolve("console-" + page + ".png")) > 0, page);
        }
    }

    private static boolean onPath(String command) throws IOException, InterruptedException {
        try {
            return new ProcessBuilder(command, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
