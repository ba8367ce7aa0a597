package dev.dataenc.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Names who is acting, for the audit trail: {@code user@host pid N (tool)}. */
public final class Actor {

    private Actor() {
    }

    /**
     * The current OS user, host and process, with the tool name (e.g. {@code dataenc-cli} or {@code app}).
     * The user is the one the operating system runs this process as
     * ({@code ProcessHandle.current().info().user()}), not the {@code user.name} system property, which
     * anyone starting the JVM can set ({@code -Duser.name=...}); the property is used only where the
     * OS does not tell.
     */
    public static String current(String tool) {
        return current(tool, ProcessHandle.current().info().user());
    }

    /** As {@link #current(String)} with the OS user given (empty when the OS does not tell). */
    static String current(String tool, java.util.Optional<String> osUser) {
        String user = osUser.filter(u -> !u.isBlank())
                .orElseGet(() -> System.getProperty("user.name", "unknown") + " (unverified)");
        return user + "@" + hostName() + " pid " + ProcessHandle.current().pid() + " (" + tool + ")";
    }

    /** This machine's host name, or {@code localhost} when it cannot be found. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
