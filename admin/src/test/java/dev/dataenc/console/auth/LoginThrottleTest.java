package dev.dataenc.console.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cli.ConsoleFixture;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final ConsoleFixture.MovableClock clock = new ConsoleFixture.MovableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    private void fail(int times, String account, String address) {
        for (int i = 0; i < times; i++) {
            throttle.failed(account, address);
        }
    }

    @Test
    void fourFailures_doNotLockOut_theFifthLocksOutForThirtySeconds() {
        fail(4, "alice", "10.0.0.1");
        assertEquals(Optional.empty(), throttle.lockedOut("alice", "10.0.0.1"));
        fail(1, "alice", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(30)), throttle.lockedOut("alice", "10.0.0.1"));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Optional.empty(), throttle.lockedOut("alice", "10.0.0.1"));
    }

    @Test
    void furtherFailures_doubleTheLockoutUpToFifteenMinutes() {
        fail(6, "alice", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(60)), throttle.lockedOut("alice", "10.0.0.1"));
        fail(20, "alice", "10.0.0.1");
        assertEquals(Optional.of(LoginThrottle.MAX_LOCKOUT), throttle.lockedOut("alice", "10.0.0.1"));
    }

    @Test
    void lockout_coversTheAccountFromAnyAddressAndTheAddressForAnyAccount() {
        fail(5, "alice", "10.0.0.1");
        assertTrue(throttle.lockedOut("alice", "10.0.0.2").isPresent(), "the account from elsewhere");
        assertTrue(throttle.lockedOut("bob", "10.0.0.1").isPresent(), "another account from the address");
        assertEquals(Optional.empty(), throttle.lockedOut("bob", "10.0.0.2"));
    }

    @Test
    void success_clearsTheFailures() {
        fail(4, "alice", "10.0.0.1");
        throttle.succeeded("alice", "10.0.0.1");
        fail(4, "alice", "10.0.0.1");
        assertEquals(Optional.empty(), throttle.lockedOut("alice", "10.0.0.1"));
    }

    @Test
    void withdrawnAttempts_bringNoLockoutNearer_realFailuresStillDo() {
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < 20; i++) { // attempts that checked no password (the accounts could not be read)
            assertTrue(throttle.attempt("bob", "10.0.0.1").isEmpty(), "attempt " + i);
            throttle.withdrawn("bob", "10.0.0.1");
        }
        for (int i = 1; i < LoginThrottle.FREE_FAILURES; i++) { // four real failed guesses
            assertTrue(throttle.attempt("bob", "10.0.0.1").isEmpty());
        }
        assertTrue(throttle.attempt("bob", "10.0.0.1").isEmpty(), "a fifth attempt may go on");
        assertTrue(throttle.lockedOut("bob", "10.0.0.1").isPresent(), "and, counted, it locks out");
        throttle.withdrawn("bob", "10.0.0.1"); // it checked no password after all
        assertTrue(throttle.lockedOut("bob", "10.0.0.1").isEmpty(), "the lockout it caused ends");
        assertTrue(throttle.attempt("bob", "10.0.0.1").isEmpty());
        assertTrue(throttle.lockedOut("bob", "10.0.0.1").isPresent(), "a real fifth failure locks out");
    }
}
