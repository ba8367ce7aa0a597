package dev.dataenc.docs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java examples in the docs are these compiled test sources, verbatim (without the package line): when an
 * API changes, the example stops compiling here and the docs are updated with it.
 */
class ReadmeSnippetsTest {

    private static Path root() {
        return Path.of(System.getProperty("dataenc.projectRoot", "..")).toAbsolutePath().normalize();
    }

    /** The source file as it appears in the docs: everything after the package line and the blank line after it. */
    static String snippet(Path source) throws IOException {
        String text = Files.readString(source, StandardCharsets.UTF_8);
        int pkg = text.indexOf(";\n", text.indexOf("package "));
        return text.substring(pkg + 2).strip() + "\n";
    }

    @ParameterizedTest
    @CsvSource({
            "README.md, GuiceHost.java",
            "README.md, CodeConfiguredHost.java"})
    void docExample_isTheCompiledSourceVerbatim(String doc, String source) throws IOException {
        String docText = Files.readString(root().resolve(doc), StandardCharsets.UTF_8);
        String code = snippet(root().resolve("landing-config/src/test/java/dev/dataenc/docs").resolve(source));

        assertTrue(docText.contains("```java\n" + code + "```"), doc + " does not contain " + source
                + " verbatim (update the doc from the source file):\n" + code);
    }
}
