package dev.dataenc.spring.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/SPRING-BOOT.md shows {@link CustomerRepository} and the JPA entity exactly as compiled and run here. */
class SpringBootDocTest {

    @Test
    void springBootDoc_showsTheTestedRepositoryVerbatim() throws IOException {
        assertShownVerbatim("spring-boot-it/src/test/java/dev/dataenc/spring/it/CustomerRepository.java");
    }

    @Test
    void springBootDoc_showsTheTestedEntityVerbatim() throws IOException {
        assertShownVerbatim("spring-boot-it/src/test/java/dev/dataenc/spring/jpait/Account.java");
    }

    private static void assertShownVerbatim(String file) throws IOException {
        Path root = Path.of("../..").toAbsolutePath().normalize(); // the module is spring-boot-it/bootN
        String doc = Files.readString(root.resolve("docs/SPRING-BOOT.md"), StandardCharsets.UTF_8);
        String source = Files.readString(root.resolve(file), StandardCharsets.UTF_8);
        String code = source.substring(source.indexOf(";\n", source.indexOf("package ")) + 2).strip() + "\n";

        assertTrue(doc.contains("```java\n" + code + "```"), "docs/SPRING-BOOT.md does not show " + file + " verbatim");
    }
}
