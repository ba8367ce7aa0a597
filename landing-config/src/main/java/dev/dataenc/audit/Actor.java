package dev.dataenc.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Names who is acting, for the audit trail: {@code user@host pid N (tool)}. */
public final class Actor {

    private Actor() {
    }

    /** The current OS user, host and process, with the tool name (e.g. {@code dataenc-cli} or {@code app}). */
    public static String current(String tool) {
        String user = System.getProperty("user.name", "unknown");
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
