package dev.dataenc.footprint;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime class path of a host that depends on landing-config only (local keystores), as Maven resolved it for
 * this module at build time ({@code target/host-dependencies.txt}, written by maven-dependency-plugin's
 * {@code list} goal). It must hold dataenc and the few libraries it needs, and nothing a host did not ask for.
 */
class HostFootprintTest {

    /** Every group a minimal host gets: dataenc, Flyway (registry schema), HikariCP (registry pool), SLF4J API. */
    static final Set<String> ALLOWED_GROUPS = Set.of("dev.dataenc", "org.flywaydb", "com.zaxxer", "org.slf4j");

    private static List<HostDependency> deps;

    @BeforeAll
    static void read() throws IOException {
        Path list = Path.of(System.getProperty("dataenc.hostDependencies", "target/host-dependencies.txt"));
        deps = Files.readAllLines(list).stream().map(HostDependency::parse).flatMap(Optional::stream).toList();
        System.out.printf("minimal host: %d jars, %.2f MiB%n", deps.size(), totalBytes() / 1024.0 / 1024.0);
    }

    private static long totalBytes() {
        long n = 0;
        for (HostDependency d : deps) {
            try {
                n += Files.size(d.file());
            } catch (IOException e) {
                throw new AssertionError("cannot size " + d.file(), e);
            }
        }
        return n;
    }

    @Test
    void minimalHost_hasExactlyTheAllowedGroups() {
        Set<String> groups = deps.stream().map(HostDependency::groupId).collect(Collectors.toCollection(TreeSet::new));

        assertEquals(new TreeSet<>(ALLOWED_GROUPS), groups, "groups on a minimal host's runtime class path: " + deps);
    }

    @Test
    void minimalHost_getsLandingConfigAndTheLocalKeystoreOnly() {
        Set<String> dataenc = deps.stream().filter(d -> d.groupId().equals("dev.dataenc")).map(HostDependency::artifactId)
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(new TreeSet<>(Set.of("keystore-api", "custom-cipher", "landing-config")), dataenc);
    }

    @Test
    void minimalHost_hasNoCliAwsJdbcDriverWebOrLoggingBackend() {
        List<String> forbidden = List.of("software.amazon", "info.picocli", "me.tongfei", "org.jline", "com.fasterxml",
                "com.h2database", "org.postgresql", "org.eclipse.jetty", "io.netty", "io.undertow", "org.apache.tomcat",
                "org.slf4j:slf4j-simple", "ch.qos.logback", "org.apache.logging.log4j", "commons-beanutils",
                "org.apache.commons", "com.google.guava", "com.google.inject");
        for (HostDependency d : deps) {
            String coordinates = d.groupId() + ":" + d.artifactId();
            for (String f : forbidden) {
                assertTrue(!coordinates.startsWith(f), coordinates + " is on a minimal host's class path");
            }
        }
    }

    @Test
    void listFile_isTheResolvedListWithRealJars() {
        assertTrue(deps.size() >= 6, "too few entries: the list was not parsed: " + deps);
        for (HostDependency d : deps) {
            assertTrue(Files.isRegularFile(d.file()) || Files.isDirectory(d.file()), "no file for " + d);
        }
    }
}
