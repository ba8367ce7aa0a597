package dev.dataenc.console.auth;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The console's admin accounts: names and Argon2id hashes, taken from their source (the configuration file) at every
 * sign-in and every request of a session, so that an account removed or given another hash ends its sessions at their
 * next request, and an account added can sign in, without a restart. A session remembers the {@link Credential} it
 * signed in with (a fingerprint of the hash, never the hash), which must still be the account's.
 */
public final class AdminAccounts {

    /** Verified against for unknown names, so that an unknown name takes as long as a wrong password. */
    private static final String DUMMY = PasswordHash.hash("dataenc-console-no-such-admin".toCharArray());

    /**
     * What a session remembers of the account it signed in with: the SHA-256 of the account's hash string (a new hash,
     * even of the same password, has a new salt and so another fingerprint). Never rendered or logged.
     */
    public static final class Credential {
        private final byte[] fingerprint;

        private Credential(String hash) {
            try {
                this.fingerprint = MessageDigest.getInstance("SHA-256").digest(hash.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available in this JVM", e);
            }
        }

        private boolean isOf(String hash) {
            return MessageDigest.isEqual(fingerprint, new Credential(hash).fingerprint);
        }

        @Override
        public String toString() {
            return "Credential[...]";
        }
    }

    private final Supplier<Map<String, String>> source;

    /**
     * @param source the accounts as they are now (admin name to Argon2id hash), asked at every sign-in and every request
     *               of a session; throws {@link UncheckedIOException} (one line) when they cannot be read
     */
    public AdminAccounts(Supplier<Map<String, String>> source) {
        this.source = source;
    }

    /**
     * The credential of {@code name}'s account if {@code password} is its password, else empty.
     *
     * @throws UncheckedIOException if the accounts cannot be read now
     */
    public Optional<Credential> verify(String name, char[] password) {
        String hash = source.get().get(name);
        boolean ok = PasswordHash.matches(password, hash == null ? DUMMY : hash);
        return ok && hash != null ? Optional.of(new Credential(hash)) : Optional.empty();
    }

    /**
     * Whether {@code name} is still an admin whose hash is the one {@code credential} was made from (compared in
     * constant time); false for a null credential.
     *
     * @throws UncheckedIOException if the accounts cannot be read now
     */
    public boolean holds(String name, Credential credential) {
        String hash = source.get().get(name);
        return hash != null && credential != null && credential.isOf(hash);
    }

    @Override
    public String toString() {
        return "AdminAccounts[read at every sign-in and request]";
    }
}
