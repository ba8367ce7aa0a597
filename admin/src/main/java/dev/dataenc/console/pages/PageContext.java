package dev.dataenc.console.pages;

import java.util.List;

/**
 * What every page's frame shows: its title, which section of the navigation it belongs to, who is signed in and the
 * session's CSRF token for its forms.
 *
 * @param title   the page title
 * @param section the navigation path it belongs to
 * @param admin   the signed-in admin ({@code token} for the bearer token)
 * @param csrf    the session's CSRF token (empty without a session)
 */
public record PageContext(String title, String section, String admin, String csrf) {

    /**
     * One navigation entry.
     *
     * @param path  where it goes
     * @param label what it says
     */
    public record NavItem(String path, String label) {
    }

    /** The navigation, in order. */
    public static final List<NavItem> NAV = List.of(new NavItem("/", "Overview"), new NavItem("/keystores", "Keystores"),
            new NavItem("/cdks", "CDKs"), new NavItem("/switch", "Switch"), new NavItem("/rotate", "Rotate CDK"),
            new NavItem("/verify", "Verify"), new NavItem("/remove-wrappings", "Remove wrappings"),
            new NavItem("/migrations", "Migrations"), new NavItem("/audit", "Audit"));
}
