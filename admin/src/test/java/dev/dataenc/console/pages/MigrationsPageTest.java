package dev.dataenc.console.pages;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.report.MigrationJobInfo;
import dev.dataenc.report.MigrationSourceInfo;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The migrations page follows a running migration by reloading itself (console.js), and only then. */
class MigrationsPageTest {

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    private String render(MigrationJobInfo running, MigrationJobInfo completed) {
        StringOutput out = new StringOutput();
        engine.render("migrations.jte", Map.of("page", new PageContext("Migrations", "/migrations", "alice", "t"),
                "migrations", List.of(new MigrationSourceInfo("customer.email [Customer.email]", running, completed,
                        List.of())), "transitions", List.of()), out);
        return out.toString();
    }

    private static MigrationJobInfo job(String status, String completedAt) {
        return new MigrationJobInfo("job-1", "customer.email", "00000000-0000-0000-0000-000000000001", "REENCRYPT",
                status, 500, 10, 4, 5, 5000, null, "admin@host", "2026-11-29T07:00:00Z", completedAt);
    }

    @Test
    void runningMigration_pageAsksToBeReloaded() {
        String html = render(job("RUNNING", null), null);
        assertTrue(html.contains("data-refresh=\"5\""), html);
        assertTrue(html.contains("4/10"), html);
    }

    @Test
    void onlyFinishedMigrations_pageStaysPut() {
        String html = render(null, job("COMPLETED", "2026-11-29T07:05:00Z"));
        assertFalse(html.contains("data-refresh"), html);
    }

    @Test
    void consoleScript_reloadsMarkedPages() throws Exception {
        Path js = Path.of(System.getProperty("dataenc.projectRoot", "."), "admin/src/main/resources/static/console.js");
        if (!Files.exists(js)) {
            js = Files.walk(Path.of(System.getProperty("dataenc.projectRoot", ".")).resolve("admin/src/main"))
                    .filter(p -> p.getFileName().toString().equals("console.js")).findFirst().orElseThrow();
        }
        String script = Files.readString(js);
        assertTrue(script.contains("[data-refresh]") && script.contains("location.reload"), "console.js follows data-refresh");
    }
}
