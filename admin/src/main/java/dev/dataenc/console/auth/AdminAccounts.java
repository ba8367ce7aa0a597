package dev.dataenc.console.auth;

import java.util.Map;

/** The console's admin accounts: names and Argon2id hashes from the configuration. */
public final class AdminAccounts {

    /** Verified against for unknown names, so that an unknown name takes as long as a wrong password. */
    private static final String DUMMY = PasswordHash.hash("dataenc-console-no-such-admin".toCharArray());

    private final Map<String, String> hashes;

    public AdminAccounts(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    /** Whether {@code name} is an admin whose password is {@code password}. */
    public boolean verify(String name, char[] password) {
        String hash = hashes.get(name);
        boolean ok = PasswordHash.matches(password, hash == null ? DUMMY : hash);
        return ok && hash != null;
    }

    @Override
    public String toString() {
        return "AdminAccounts" + hashes.keySet();
    }
}
