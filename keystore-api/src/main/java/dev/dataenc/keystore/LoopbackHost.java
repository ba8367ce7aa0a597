package dev.dataenc.keystore;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether an endpoint's host is this machine, for the rule every remote keystore and store follows: plain
 * {@code http://} (no TLS) is accepted only for loopback hosts, e.g. a test server or emulator on 127.0.0.1.
 */
public final class LoopbackHost {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private LoopbackHost() {
    }

    /**
     * True for {@code localhost} and loopback address literals (127.0.0.0/8, {@code [::1]}). Never resolves a name:
     * a DNS answer is not proof of loopback.
     *
     * @param host a URI's host ({@link java.net.URI#getHost()}: IPv6 literals in brackets)
     */
    public static boolean is(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (IPV4_LITERAL.matcher(h).matches()) {
            String[] octets = h.split("\\.");
            for (String o : octets) {
                if (Integer.parseInt(o) > 255) {
                    return false;
                }
            }
            return octets[0].equals("127");
        }
        if (h.startsWith("[") && h.endsWith("]") && h.contains(":")) {
            try {
                return InetAddress.getByName(h.substring(1, h.length() - 1)).isLoopbackAddress(); // a literal: no DNS
            } catch (UnknownHostException e) {
                return false; // a malformed literal
            }
        }
        return false;
    }
}
