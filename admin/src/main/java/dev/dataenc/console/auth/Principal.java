package dev.dataenc.console.auth;

/**
 * Who is making a request: a signed-in admin or a script with the bearer token.
 *
 * @param name    the admin's name, or {@code token} for the bearer token
 * @param address the remote address the request came from
 */
public record Principal(String name, String address) {

    /** The audit trail's actor: {@code console:<name>@<address>}. */
    public String actor() {
        return "console:" + name + "@" + address;
    }
}
