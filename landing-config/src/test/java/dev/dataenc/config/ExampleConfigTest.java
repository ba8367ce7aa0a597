package dev.dataenc.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example shipped in the jar and shown in docs/CONFIGURATION.md is valid. */
class ExampleConfigTest {

    @TempDir
    Path dir;

    @Test
    void shippedExample_loadsWithPasswordsFromEnvironment() throws IOException {
        Path file = dir.resolve("dataenc.properties");
        try (InputStream in = Objects.requireNonNull(
                ConfigLoader.class.getResourceAsStream("example-dataenc.properties"), "example resource")) {
            Files.copy(in, file);
        }
        Map<String, String> env = Map.of(
                "DATAENC_PRIMARY_KEYSTORE_PASSWORD", "primary-pw",
                "DATAENC_BACKUP_KEYSTORE_PASSWORD", "backup-pw",
                "DATAENC_REGISTRY_PASSWORD", "registry-pw");

        DataEncConfig c = ConfigLoader.load(file, env::get);

        assertEquals(CipherType.PLATFORM, c.cipherType());
        assertEquals("primary", c.activeKeystore());
        assertEquals(List.of("primary", "backup"), List.copyOf(c.keystores().keySet()));
        assertEquals(dir.resolve("keystores/primary.p12").toString(), c.keystores().get("primary").values().get("path"));
        assertEquals("aes-kwp", c.keystores().get("backup").values().get("wrap-algorithm"));
        assertEquals("jdbc:h2:file:/var/lib/dataenc/registry", c.registry().url());
        assertEquals("registry-pw", c.registry().password());
        assertEquals(RotationPolicy.defaults(), c.rotation());
        assertEquals(Duration.ofSeconds(10), c.reloadInterval());
    }

    @Test
    void docsExample_isTheShippedExample() throws IOException {
        Path docs = Path.of(System.getProperty("dataenc.projectRoot", ".."), "docs", "CONFIGURATION.md");
        String markdown = Files.readString(docs);
        String example;
        try (InputStream in = Objects.requireNonNull(ConfigLoader.class.getResourceAsStream("example-dataenc.properties"))) {
            example = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        assertEquals(true, markdown.contains(example), "docs/CONFIGURATION.md must contain example-dataenc.properties verbatim");
    }
}
