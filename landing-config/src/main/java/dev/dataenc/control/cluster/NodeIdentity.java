package dev.dataenc.control.cluster;

import dev.dataenc.audit.Actor;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

/**
 * Who a node is: a random id per process start, the host, the process id, the tool name and the dataenc version.
 *
 * @param id      random UUID of this process start
 * @param host    host name
 * @param pid     operating-system process id
 * @param tool    what runs the library ({@code app}, a test name, ...)
 * @param version dataenc version
 */
public record NodeIdentity(String id, String host, long pid, String tool, String version) {

    public NodeIdentity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(version, "version");
    }

    /** This process, with a new random id. */
    public static NodeIdentity thisProcess(String tool) {
        return new NodeIdentity(UUID.randomUUID().toString(), Actor.hostName(), ProcessHandle.current().pid(), tool,
                currentVersion());
    }

    /** The dataenc version from the jar's Maven metadata, or {@code development build} when run from classes. */
    static String currentVersion() {
        try (InputStream in = NodeIdentity.class.getResourceAsStream(
                "/META-INF/maven/dev.dataenc/landing-config/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        String v = NodeIdentity.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** E.g. {@code host pid 1234 (app) 0f3c1a2b}. */
    public String summary() {
        return host + " pid " + pid + " (" + tool + ") " + id.substring(0, 8);
    }
}
