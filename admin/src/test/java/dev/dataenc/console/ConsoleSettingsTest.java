package dev.dataenc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.config.DataEncConfigException;
import dev.dataenc.console.auth.PasswordHash;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSettingsTest {

    private static final String HASH = PasswordHash.hash("a long enough password".toCharArray());

    @TempDir
    Path dir;

    private ConsoleSettings read(String properties, Map<String, String> env) throws IOException {
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, "dataenc.cipher-type=platform\n" + properties);
        return ConsoleSettings.read(file, InetAddress.getLoopbackAddress(), 0, Optional.empty(), env::get);
    }

    @Test
    void adminsAndToken_areRead_andToStringShowsNoSecret() throws IOException {
        String token = "t".repeat(40);
        ConsoleSettings s = read("dataenc.console.admins.alice.password-hash=" + HASH + "\n"
                + "dataenc.console.token-env=TOKEN\ndataenc.console.session-idle-minutes=5\n", Map.of("TOKEN", token));
        assertEquals(Map.of("alice", HASH), s.admins());
        assertEquals(Optional.of(token), s.token());
        assertEquals(5, s.idleTimeout().toMinutes());
        assertFalse(s.toString().contains(token) || s.toString().contains(HASH), s.toString());
    }

    @Test
    void badKeys_areRefusedNamingEachKey() {
        DataEncConfigException e = assertThrows(DataEncConfigException.class, () -> read(
                "dataenc.console.admins.alice.password-hash=plaintext-password\n"
                        + "dataenc.console.admin.bob.password-hash=" + HASH + "\n"
                        + "dataenc.console.token-env=UNSET\n", Map.of()));
        assertTrue(e.getMessage().contains("dataenc.console.admins.alice.password-hash: is not an Argon2id hash"),
                e.getMessage());
        assertTrue(e.getMessage().contains("dataenc.console.admin.bob.password-hash: unknown console key"), e.getMessage());
        assertTrue(e.getMessage().contains("$UNSET, which is not set"), e.getMessage());
        assertFalse(e.getMessage().contains("plaintext-password"), "the bad value is not echoed");
    }

    @Test
    void noAdminAndNoToken_isRefused() {
        DataEncConfigException e = assertThrows(DataEncConfigException.class, () -> read("", Map.of()));
        assertTrue(e.getMessage().contains("no admin can sign in"), e.getMessage());
    }

    @Test
    void shortToken_isRefused() {
        DataEncConfigException e = assertThrows(DataEncConfigException.class, () -> read(
                "dataenc.console.token-env=TOKEN\n", Map.of("TOKEN", "short")));
        assertTrue(e.getMessage().contains("shorter than 32"), e.getMessage());
    }

    @Test
    void sessionLifetime_is12HoursOrTheIdleTimeoutIfLonger() throws IOException {
        String admin = "dataenc.console.admins.alice.password-hash=" + HASH + "\n";
        assertEquals(java.time.Duration.ofHours(12), read(admin, Map.of()).sessionLifetime());
        assertEquals(java.time.Duration.ofHours(12), read(admin + "dataenc.console.session-idle-minutes=720\n", Map.of())
                .sessionLifetime());
        assertEquals(java.time.Duration.ofHours(20), read(admin + "dataenc.console.session-idle-minutes=1200\n", Map.of())
                .sessionLifetime());
    }

    @Test
    void readAdmins_takesTheAccountsAsTheFileSaysNowAndLeavesOutKeysThatAreNotWellFormed() throws IOException {
        Path file = dir.resolve("accounts.properties");
        Files.writeString(file, "dataenc.console.admins.alice.password-hash=" + HASH + "\n"
                + "dataenc.console.admins.bob.password-hash=not-a-hash\ndataenc.console.no-such-key=x\n");
        assertEquals(Map.of("alice", HASH), ConsoleSettings.readAdmins(file));
        Files.writeString(file, "dataenc.console.token-env=TOKEN\n");
        assertEquals(Map.of(), ConsoleSettings.readAdmins(file));
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> ConsoleSettings.readAdmins(dir.resolve("no-such.properties")));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot read "), e.getMessage());
    }
}
