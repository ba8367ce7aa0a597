package dev.dataenc.footprint;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One line of {@code mvn dependency:list} with absolute file names:
 * {@code groupId:artifactId:type[:classifier]:version:scope:/path/to.jar} (possibly followed by a module note).
 *
 * @param groupId    the group
 * @param artifactId the artifact
 * @param version    the resolved version
 * @param scope      compile or runtime
 * @param file       the jar
 */
record HostDependency(String groupId, String artifactId, String version, String scope, Path file) {

    /** The dependency on a line of the list, or empty for header and blank lines. */
    static Optional<HostDependency> parse(String line) {
        String t = line.strip();
        int note = t.indexOf(" -- ");
        if (note >= 0) {
            t = t.substring(0, note).strip();
        }
        String[] p = t.split(":");
        if (p.length < 6 || t.startsWith("The following")) {
            return Optional.empty();
        }
        boolean classifier = p.length >= 7 && !p[4].isEmpty() && (p[5].equals("compile") || p[5].equals("runtime"));
        int v = classifier ? 4 : 3;
        String path = String.join(":", java.util.Arrays.copyOfRange(p, v + 2, p.length));
        return Optional.of(new HostDependency(p[0], p[1], p[v], p[v + 1], Path.of(path)));
    }
}
