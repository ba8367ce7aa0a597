package dev.dataenc.config;

import dev.dataenc.config.DataEncConfigException.Problem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Settings given in code (map, Properties, builder) are validated exactly like the same lines in a file. */
class ProgrammaticConfigTest {

    private static final Function<String, String> ENV = Map.of("REG_PW", "registry-secret-1")::get;

    @TempDir
    Path dir;

    private static Map<String, String> minimal() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dataenc.cipher-type", "platform");
        m.put("dataenc.keystore.active", "primary");
        m.put("dataenc.keystores.primary.type", "local");
        m.put("dataenc.keystores.primary.path", "primary.p12");
        return m;
    }

    private Path file(Map<String, String> settings) throws IOException {
        List<String> lines = new ArrayList<>();
        settings.forEach((k, v) -> lines.add(k + "=" + v));
        Path f = dir.resolve("dataenc.properties");
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }

    private List<Problem> fileProblems(Map<String, String> settings) throws IOException {
        Path f = file(settings);
        return assertThrows(DataEncConfigException.class, () -> ConfigLoader.load(f, ENV)).problems();
    }

    private List<Problem> mapProblems(Map<String, String> settings) {
        return assertThrows(DataEncConfigException.class, () -> ConfigLoader.fromMap(settings, dir, ENV)).problems();
    }

    @Test
    void validSettings_giveTheSameConfigurationAsTheFile() throws IOException {
        Map<String, String> m = minimal();
        m.put("dataenc.cache.max-age", "2m");
        m.put("dataenc.registry.password-env", "REG_PW");

        DataEncConfig fromFile = ConfigLoader.load(file(m), ENV);
        DataEncConfig fromMap = ConfigLoader.fromMap(m, dir, ENV);

        assertNull(fromMap.source());
        assertEquals(fromFile.withCluster(fromFile.cluster()), new DataEncConfig(fromFile.source(), fromMap.cipherType(),
                fromMap.activeKeystore(), fromMap.keystores(), fromMap.registry(), fromMap.cache(), fromMap.rotation(),
                fromMap.reloadInterval(), fromMap.switchLease(), fromMap.cluster()));
        assertEquals(dir.resolve("primary.p12").toString(), fromMap.keystores().get("primary").values().get("path"));
        assertEquals(ConfigLoader.defaultRegistryUrl(dir), fromMap.registry().url());
    }

    @Test
    void invalidSettings_giveTheSameProblemsAsTheFile() throws IOException {
        Map<String, String> m = minimal();
        m.put("dataenc.cipher-type", "platfrom");
        m.put("dataenc.cache.max-age", "five minutes");
        m.put("dataenc.rotaton.max-age", "30d");
        m.put("dataenc.keystores.primary.pasword-env", "KS_PW");
        m.put("dataenc.registry.url", "postgres://db/dataenc");
        m.put("dataenc.registry.password-env", "NOT_SET_ANYWHERE");

        List<Problem> fromFile = fileProblems(m);
        List<Problem> fromMap = mapProblems(m);

        assertEquals(6, fromFile.size(), fromFile.toString());
        assertEquals(fromFile, fromMap);
    }

    @Test
    void missingRequiredKeys_giveTheSameProblemsAsTheFile() throws IOException {
        Map<String, String> m = Map.of("other.app.key", "x", "dataenc.keystores.primary.type", "local");

        assertEquals(fileProblems(m), mapProblems(m));
    }

    @Test
    void builder_validatesLikeTheFile() throws IOException {
        Map<String, String> m = minimal();
        m.put("dataenc.keystore.active", "secondary");
        DataEncSettings settings = DataEncSettings.in(dir).environment(ENV)
                .cipherType("platform")
                .keystore("primary", "local", Map.of("path", "primary.p12"))
                .activeKeystore("secondary");

        DataEncConfigException e = assertThrows(DataEncConfigException.class, settings::build);

        assertEquals(fileProblems(m), e.problems());
    }

    @Test
    void builder_buildsAValidConfiguration() {
        DataEncConfig c = DataEncSettings.in(dir).environment(ENV)
                .cipherType("platform")
                .keystore("primary", "local", Map.of("path", "primary.p12"))
                .activeKeystore("primary")
                .registry("jdbc:h2:file:" + dir.resolve("reg"), "sa")
                .set("dataenc.rotation.max-messages", "1000")
                .build();

        assertEquals("primary", c.activeKeystore());
        assertEquals("sa", c.registry().user());
        assertEquals(1000, c.rotation().maxMessages());
    }

    @Test
    void properties_validatedLikeAMap() {
        Properties p = new Properties();
        minimal().forEach(p::setProperty);
        p.setProperty("dataenc.cache.max-entries", "0");

        DataEncConfigException e = assertThrows(DataEncConfigException.class, () -> ConfigLoader.fromProperties(p, dir));

        assertEquals("dataenc.cache.max-entries", e.key());
    }

    @Test
    void builderToString_masksInlinePasswords() {
        String s = DataEncSettings.in(dir).set("dataenc.registry.password", "registry-secret-2").toString();

        assertEquals(-1, s.indexOf("registry-secret-2"), s);
    }
}
