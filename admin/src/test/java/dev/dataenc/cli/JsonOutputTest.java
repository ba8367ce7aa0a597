package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.cli.CliFixture.Run;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.RegistrySettings;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyAdmin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code --json} output: one document on standard output that Jackson parses, with exactly the
 * fields {@code docs/JSON.md} documents (in that order), and values that match the registry.
 */
class JsonOutputTest {

    private static final ObjectReader READER = new ObjectMapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final CdkReferenceEvidence PROVEN = (id, since) -> Optional.empty();

    /** docs/JSON.md: section heading -> the field names of its table, in order. */
    private static Map<String, List<String>> documented;

    @TempDir
    Path dir;

    @BeforeAll
    static void readSchemaDoc() throws IOException {
        documented = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(Path.of("..", "docs", "JSON.md"))) {
            if (line.startsWith("## ") || line.startsWith("### ")) {
                current = new ArrayList<>();
                documented.put(line.replaceFirst("^#+ ", "").strip(), current);
            } else if (line.startsWith("| `") && current != null) {
                current.add(line.substring(3, line.indexOf('`', 3)));
            }
        }
    }

    /** The one JSON document on standard output (trailing content fails). */
    private static JsonNode json(Run r) throws IOException {
        assertFalse(r.out().isBlank(), "a document on standard output: " + r.all());
        return READER.readValue(r.out());
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** {@code node} has exactly the fields of section {@code section} of docs/JSON.md, in order. */
    private static void assertSchema(String section, JsonNode node) {
        List<String> doc = documented.get(section);
        assertTrue(doc != null && !doc.isEmpty(), "docs/JSON.md documents '" + section + "'");
        assertEquals(doc, fields(node), "fields of '" + section + "' as docs/JSON.md lists them");
    }

    private static void assertDocument(String section, String command, JsonNode node) {
        assertSchema(section, node);
        assertEquals(1, node.get("schemaVersion").intValue());
        assertEquals(command, node.get("command").textValue());
    }

    private static void assertCdk(JsonNode node, Cdk cdk) {
        assertSchema("CDK", node);
        assertEquals(cdk.id().toString(), node.get("id").textValue());
        assertEquals(cdk.status().name(), node.get("status").textValue());
        assertEquals(cdk.createdAt().toString(), node.get("createdAt").textValue());
        assertEquals(cdk.wrappings().size(), node.get("wrappings").size());
        for (int i = 0; i < cdk.wrappings().size(); i++) {
            JsonNode w = node.get("wrappings").get(i);
            assertSchema("wrapping", w);
            assertEquals(cdk.wrappings().get(i).keystoreName(), w.get("keystore").textValue());
            assertEquals(cdk.wrappings().get(i).masterKeyId(), w.get("masterKeyId").textValue());
            assertEquals(cdk.wrappings().get(i).masterKeyVersion(), w.get("masterKeyVersion").textValue());
        }
        assertSchema("usage", node.get("usage"));
    }

    private void disableMasterKey(String keystore) {
        try (Keystore ks = Keystores.create(KeystoreSettings.of(keystore, "local", Map.of("path",
                dir.resolve(keystore + ".p12").toString(), "password", CliFixture.PASSWORD, "master-key",
                "mk-" + keystore)))) {
            ((MasterKeyAdmin) ks).disableMasterKey();
        }
    }

    @Test
    void status_json_matchesTheRegistry() throws IOException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        Cdk active = cli.withStatus(CdkStatus.ACTIVE);

        Run r = cli.dataenc("status", "--json");

        assertEquals(0, r.code(), r.all());
        JsonNode s = json(r);
        assertDocument("status", "status", s);
        assertEquals(cli.config().toAbsolutePath().toString(), s.get("configFile").textValue());
        assertEquals("platform", s.get("cipherType").textValue());
        assertEquals("a", s.get("activeKeystore").textValue());
        assertEquals("a", s.get("configuredActiveKeystore").textValue());
        assertEquals(2, s.get("keystores").size());
        JsonNode a = s.get("keystores").get(0);
        assertSchema("keystore", a);
        assertEquals("a", a.get("name").textValue());
        assertTrue(a.get("active").booleanValue());
        assertEquals("ENABLED", a.get("masterKeyState").textValue());
        assertEquals(active.wrappings().get(0).masterKeyId(), a.get("masterKeyId").textValue());
        assertFalse(s.get("keystores").get(1).get("active").booleanValue());
        assertSchema("active CDK", s.get("activeCdk"));
        assertEquals(active.id().toString(), s.get("activeCdk").get("id").textValue());
        assertFalse(s.get("activeCdk").get("rotationDue").booleanValue());
        assertEquals(Map.of("ACTIVE", 1, "DECRYPT_ONLY", 1, "RETIRED", 0, "DESTROYED", 0),
                Map.of("ACTIVE", s.get("cdksByStatus").get("ACTIVE").intValue(),
                        "DECRYPT_ONLY", s.get("cdksByStatus").get("DECRYPT_ONLY").intValue(),
                        "RETIRED", s.get("cdksByStatus").get("RETIRED").intValue(),
                        "DESTROYED", s.get("cdksByStatus").get("DESTROYED").intValue()));
        assertEquals(2, s.get("cdksByKeystore").get("a").intValue());
        assertTrue(s.get("runningSwitch").isNull());
        assertTrue(s.get("lastRefusal").isNull());
        assertSchema("cache", s.get("cache"));
        assertEquals(0, s.get("migrations").size());
        assertFalse(r.out().contains(CliFixture.PASSWORD), "never a password");
    }

    @Test
    void verify_json_ok_andAtRisk_exitsOneWithOneStderrLine() throws IOException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        Cdk old = cli.withStatus(CdkStatus.DECRYPT_ONLY);

        Run ok = cli.dataenc("verify", "--json");
        disableMasterKey("a");
        Run risk = cli.dataenc("verify", "--json");

        assertEquals(0, ok.code(), ok.all());
        JsonNode v = json(ok);
        assertDocument("verify", "verify", v);
        assertTrue(v.get("ok").booleanValue());
        assertEquals(2, v.get("checked").intValue());
        assertEquals(2, v.get("unwrapped").intValue());
        assertEquals(0, v.get("atRisk").size());
        assertEquals(2, v.get("singleWrapping").size(), "only keystore a wraps them");
        assertEquals(1, risk.code(), risk.all());
        JsonNode bad = json(risk);
        assertFalse(bad.get("ok").booleanValue());
        assertEquals(2, bad.get("atRisk").size());
        assertSchema("at risk", bad.get("atRisk").get(0));
        assertEquals(old.id().toString(), bad.get("atRisk").get(0).get("cdkId").textValue());
        assertTrue(risk.err().startsWith("dataenc: 2 CDKs are at risk"), risk.err());
        assertEquals(1, risk.err().strip().lines().count(), risk.err());
    }

    @Test
    void audit_json_listsTheRecentEvents() throws IOException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        Cdk active = cli.withStatus(CdkStatus.ACTIVE);

        Run r = cli.dataenc("audit", "--limit", "2", "--json");

        assertEquals(0, r.code(), r.all());
        JsonNode a = json(r);
        assertDocument("audit", "audit", a);
        assertEquals(2, a.get("limit").intValue());
        assertEquals(2, a.get("events").size());
        JsonNode last = a.get("events").get(1);
        assertSchema("audit event", last);
        assertEquals("CDK_ROTATED", last.get("action").textValue());
        assertEquals(active.id().toString(), last.get("cdkId").textValue());
        assertEquals("a", last.get("keystore").textValue());
        assertTrue(last.get("actor").textValue().endsWith("(dataenc-cli)"));
        assertTrue(a.get("events").get(0).get("seq").longValue() < last.get("seq").longValue(), "oldest first");
    }

    @Test
    void switchDryRun_json_listsTheChecksAndTheCdksToRewrap_refusedExitsOne() throws IOException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        List<Cdk> cdks = cli.cdks();

        Run r = cli.dataenc("switch", "b", "--dry-run", "--json");
        Run notDry = cli.dataenc("switch", "b", "--json");
        disableMasterKey("b");
        Run refused = cli.dataenc("switch", "b", "--dry-run", "--json");

        assertEquals(0, r.code(), r.all());
        JsonNode p = json(r);
        assertDocument("switch --dry-run", "switch", p);
        assertTrue(p.get("dryRun").booleanValue());
        assertEquals("a", p.get("source").textValue());
        assertEquals("b", p.get("target").textValue());
        assertTrue(p.get("allowed").booleanValue());
        assertEquals("platform", p.get("targetCipherType").textValue());
        assertTrue(p.get("checks").size() > 0);
        assertSchema("guard", p.get("checks").get(0));
        List<String> toRewrap = new ArrayList<>();
        p.get("cdksToRewrap").forEach(n -> toRewrap.add(n.textValue()));
        assertEquals(cdks.stream().map(c -> c.id().toString()).sorted().toList(), toRewrap.stream().sorted().toList());
        assertEquals(0, p.get("cdksAlreadyWrapped").intValue());
        assertTrue(p.get("plan").textValue().startsWith("generate a new ACTIVE CDK under 'b', re-wrap 2 CDKs"),
                p.toString());
        assertEquals(2, notDry.code(), "--json needs --dry-run: " + notDry.all());
        assertEquals("", notDry.out());
        assertEquals(cdks.size(), cli.cdks().size(), "nothing switched");
        assertEquals(1, refused.code(), refused.all());
        assertFalse(json(refused).get("allowed").booleanValue());
        assertTrue(json(refused).get("plan").isNull(), "a refused switch has no plan: " + refused.out());
        assertTrue(refused.err().startsWith("dataenc: switch to 'b' would be refused"), refused.err());
    }

    @Test
    void removeWrappingsAndRetireCdks_json_dryRunsAndRuns() throws IOException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        Cdk old = cli.withStatus(CdkStatus.DECRYPT_ONLY);
        assertEquals(0, cli.dataenc("switch", "b").code());
        List<String> oldIds = cli.cdks().stream().filter(c -> c.wrappingBy("a").isPresent())
                .map(c -> c.id().toString()).toList();

        Run dryRemove = cli.dataenc("remove-wrappings", "a", "--dry-run", "--json");
        Run keptRetire = cli.dataenc("retire-cdks", "--dry-run", "--json");
        cli.retireWith(PROVEN);
        Run dryRetire = cli.dataenc("retire-cdks", "--dry-run", "--json");
        CdkStatus afterDryRun = cli.cdks().stream().filter(c -> c.id().equals(old.id())).findFirst().orElseThrow()
                .status();
        Run retire = cli.dataenc("retire-cdks", "--json");

        JsonNode rw = json(dryRemove);
        assertDocument("remove-wrappings", "remove-wrappings", rw);
        assertEquals("a", rw.get("keystore").textValue());
        assertTrue(rw.get("dryRun").booleanValue());
        List<String> removed = new ArrayList<>();
        rw.get("removed").forEach(n -> removed.add(n.textValue()));
        assertEquals(oldIds, removed);
        assertEquals(0, rw.get("kept").size());
        assertEquals(2, oldIds.size());
        assertTrue(cli.cdks().stream().filter(c -> oldIds.contains(c.id().toString()))
                .allMatch(c -> c.wrappingBy("a").isPresent()), "a dry run removes nothing");

        JsonNode kept = json(keptRetire);
        assertDocument("retire-cdks", "retire-cdks", kept);
        assertEquals(0, kept.get("retired").size());
        assertSchema("kept CDK", kept.get("kept").get(0));
        assertEquals(old.id().toString(), kept.get("kept").get(0).get("cdkId").textValue());
        assertTrue(kept.get("kept").get(0).get("reason").textValue().contains("no reference scan"));

        JsonNode wouldRetire = json(dryRetire);
        assertTrue(wouldRetire.get("dryRun").booleanValue());
        assertEquals(old.id().toString(), wouldRetire.get("retired").get(0).textValue());
        assertEquals(CdkStatus.DECRYPT_ONLY, afterDryRun, "a dry run retires nothing");
        JsonNode done = json(retire);
        assertFalse(done.get("dryRun").booleanValue());
        List<String> retired = new ArrayList<>();
        done.get("retired").forEach(n -> retired.add(n.textValue()));
        List<String> nowRetired = cli.cdks().stream().filter(c -> c.status() == CdkStatus.RETIRED)
                .map(c -> c.id().toString()).toList();
        assertEquals(nowRetired, retired);
        assertTrue(retired.contains(old.id().toString()));
        JsonNode listed = json(cli.dataenc("cdk", "list", "--status", "RETIRED", "--json")).get("cdks").get(0);
        assertEquals(old.id().toString(), listed.get("id").textValue());
        assertFalse(listed.get("retiredAt").isNull(), "retirement time from the audit trail");
        assertEquals(listed.get("retiredAt").textValue(), listed.get("statusChangedAt").textValue());
    }

    @Test
    void migrate_json_dryRunAndRun_andStatusShowsTheMigration() throws IOException, SQLException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        String under;
        try (ControlPlane plane = cli.plane()) {
            under = plane.registry().findActive().orElseThrow().id().toString();
            RegistrySettings registry = ConfigLoader.load(cli.config()).registry();
            try (Connection c = DriverManager.getConnection(registry.url(), registry.user(), "");
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE ticket (id INT PRIMARY KEY, body VARCHAR(600))");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ticket VALUES (?, ?)")) {
                    for (int i = 0; i < 5; i++) {
                        ps.setInt(1, i);
                        ps.setString(2, plane.propertyCipher().encryptString("ticket body " + i, "Ticket.body"));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            plane.rotateCdk("before the migration");
        }
        String target = cli.withStatus(CdkStatus.ACTIVE).id().toString();
        String[] migrate = {"migrate", "--table", "ticket", "--key", "id", "--column", "body:Ticket.body", "--json"};

        Run dry = cli.dataenc(append(migrate, "--dry-run"));
        Run run = cli.dataenc(migrate);
        Run status = cli.dataenc("status", "--json");

        assertEquals(0, dry.code(), dry.all());
        JsonNode plan = json(dry);
        assertDocument("migrate --dry-run", "migrate", plan);
        assertTrue(plan.get("dryRun").booleanValue());
        assertEquals(target, plan.get("targetCdkId").textValue());
        assertEquals(5, plan.get("records").intValue());
        assertEquals(1, plan.get("valuesPerCdk").size());
        JsonNode per = plan.get("valuesPerCdk").get(0);
        assertSchema("CDK value count", per);
        assertEquals(under, per.get("cdkId").textValue());
        assertEquals("DECRYPT_ONLY", per.get("status").textValue());
        assertEquals(5, per.get("values").intValue());
        assertEquals(5, plan.get("wouldWrite").intValue());
        assertTrue(plan.get("unfinished").isNull());

        assertEquals(0, run.code(), run.all());
        JsonNode result = json(run);
        assertDocument("migrate", "migrate", result);
        assertFalse(result.get("dryRun").booleanValue());
        assertSchema("migration job", result.get("job"));
        assertEquals("COMPLETED", result.get("job").get("status").textValue());
        assertEquals(target, result.get("job").get("targetCdkId").textValue());
        assertEquals(result.get("job").get("batchesTotal").intValue(), result.get("job").get("batchesDone").intValue());
        assertSchema("value counts", result.get("byThisNode"));
        assertEquals(5, result.get("byThisNode").get("migrated").intValue());
        assertEquals(0, result.get("referencesLeft").intValue());
        List<String> old = new ArrayList<>();
        result.get("oldCdkReferences").forEach(n -> old.add(n.get("cdkId").textValue() + "=" + n.get("values").intValue()));
        assertTrue(old.contains(under + "=0"), old.toString());
        assertFalse(run.out().contains("ticket body"), "never a value");

        JsonNode s = json(status);
        assertEquals(1, s.get("migrations").size());
        JsonNode m = s.get("migrations").get(0);
        assertSchema("migration source", m);
        assertTrue(m.get("running").isNull());
        assertEquals(result.get("job").get("id").textValue(), m.get("lastCompleted").get("id").textValue());
        assertEquals(0, m.get("oldCdkReferences").size());
    }

    @Test
    void inspect_json_propertyBlobAndForeignCdk() throws IOException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        Cdk active = cli.withStatus(CdkStatus.ACTIVE);
        String text = cli.dataenc("encrypt", "--context", "C", "secret").out().strip();
        Path plain = dir.resolve("f.bin");
        byte[] content = new byte[70_000];
        new Random(1).nextBytes(content);
        Files.write(plain, content);
        Path blob = dir.resolve("f.enc");
        assertEquals(0, cli.dataenc("encrypt", "--context", "F", "--in", plain.toString(), "--out", blob.toString())
                .code());
        Path otherDir = Files.createDirectory(dir.resolve("other"));
        CliFixture other = new CliFixture(otherDir).withTwoCdks();
        String foreignCdk = other.dataenc("encrypt", "--context", "C", "x").out().strip();

        Run prop = cli.dataenc("inspect", "--json", text);
        Run file = cli.dataenc("inspect", "--json", "--file", blob.toString());
        Run unknown = cli.dataenc("inspect", "--json", foreignCdk);

        JsonNode p = json(prop);
        assertDocument("inspect", "inspect", p);
        assertEquals("argument", p.get("input").textValue());
        assertEquals("PROPERTY", p.get("kind").textValue());
        assertEquals("TEXT", p.get("encoding").textValue());
        assertEquals(1, p.get("formatVersion").intValue());
        assertEquals(1, p.get("suiteId").intValue());
        assertEquals(active.id().toString(), p.get("cdkId").textValue());
        assertEquals(6, p.get("plaintextBytes").intValue());
        assertSchema("registry lookup", p.get("registry"));
        assertTrue(p.get("registry").get("consulted").booleanValue());
        assertTrue(p.get("registry").get("cdkKnown").booleanValue());
        assertCdk(p.get("cdk"), cli.withStatus(CdkStatus.ACTIVE));
        assertEquals(1, p.get("cdk").get("usage").get("propertyValues").intValue());

        JsonNode f = json(file);
        assertEquals("file", f.get("input").textValue());
        assertEquals(blob.toAbsolutePath().toString(), f.get("file").textValue());
        assertEquals("BLOB", f.get("kind").textValue());
        assertEquals(2, f.get("suiteId").intValue());
        assertEquals(65536, f.get("segmentSize").intValue());
        assertEquals(2, f.get("segmentCount").intValue());
        assertEquals(70_000, f.get("plaintextBytes").intValue());
        assertEquals(Files.size(blob), f.get("ciphertextBytes").longValue());
        assertEquals(1, f.get("cdk").get("usage").get("blobs").intValue());

        JsonNode u = json(unknown);
        assertTrue(u.get("registry").get("consulted").booleanValue());
        assertFalse(u.get("registry").get("cdkKnown").booleanValue());
        assertTrue(u.get("cdk").isNull());
        assertEquals(other.withStatus(CdkStatus.ACTIVE).id().toString(), u.get("cdkId").textValue());
    }

    @Test
    void cdkList_json_matchesTheRegistry_andFilters() throws IOException {
        CliFixture cli = new CliFixture(dir).withTwoCdks();
        List<Cdk> cdks = cli.cdks();

        Run all = cli.dataenc("cdk", "list", "--json");
        Run active = cli.dataenc("cdk", "list", "--status", "active", "--json");

        assertEquals(0, all.code(), all.all());
        JsonNode l = json(all);
        assertDocument("cdk list", "cdk list", l);
        assertEquals(0, l.get("statusFilter").size());
        assertEquals(cdks.size(), l.get("cdks").size());
        for (int i = 0; i < cdks.size(); i++) {
            assertCdk(l.get("cdks").get(i), cdks.get(i));
        }
        JsonNode old = l.get("cdks").get(0);
        assertEquals("DECRYPT_ONLY", old.get("status").textValue());
        assertEquals(cdks.get(0).decryptOnlySince().toString(), old.get("decryptOnlySince").textValue());
        assertEquals(old.get("decryptOnlySince").textValue(), old.get("statusChangedAt").textValue());
        assertTrue(old.get("retiredAt").isNull());
        JsonNode a = json(active);
        assertEquals("ACTIVE", a.get("statusFilter").get(0).textValue());
        assertEquals(1, a.get("cdks").size());
        assertCdk(a.get("cdks").get(0), cli.withStatus(CdkStatus.ACTIVE));
    }

    @Test
    void everyDocumentedCommandSection_isCoveredByATest() {
        for (String section : List.of("status", "verify", "audit", "switch --dry-run", "remove-wrappings", "retire-cdks",
                "migrate --dry-run", "migrate", "inspect", "cdk list")) {
            assertEquals("schemaVersion", documented.get(section).get(0), section);
            assertEquals("command", documented.get(section).get(1), section);
        }
    }

    private static String[] append(String[] a, String... more) {
        String[] out = new String[a.length + more.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
