package dev.dataenc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dataenc.envelope.OperationObserver;
import dev.dataenc.error.DecryptionFailedException;

import org.junit.jupiter.api.Test;

class OperationStatsTest {

    private static OperationStats.Key key(String cipher, String operation, String outcome) {
        return new OperationStats.Key("cipher", cipher, operation, outcome);
    }

    @Test
    void untimedOperations_areCounted_andTheTotalIsEstimatedFromTheTimedOnes() {
        OperationStats stats = new OperationStats();
        stats.cipherOperation("property", "decrypt", OperationObserver.NOT_TIMED, null);
        stats.cipherOperation("property", "decrypt", 300, null);
        stats.cipherOperation("property", "decrypt", OperationObserver.NOT_TIMED, null);
        stats.cipherOperation("property", "decrypt", 100, null);

        OperationStats.Timing t = stats.timingOf(key("property", "decrypt", OperationStats.SUCCESS));
        assertEquals(4, t.count());
        assertEquals(2, t.timedCount());
        assertEquals(800.0, t.totalNanos(), 1e-9, "mean of the timed (200 ns) times the count (4)");
        assertEquals(0, stats.timingOf(key("property", "encrypt", OperationStats.SUCCESS)).count());
    }

    @Test
    void everyOperationTimed_totalIsTheMeasuredSum_andNoneTimedIsZero() {
        OperationStats stats = new OperationStats();
        stats.cipherOperation("blob", "encrypt", 1_000, null);
        stats.cipherOperation("blob", "encrypt", 3_000, null);
        stats.cipherOperation("blob", "decrypt", OperationObserver.NOT_TIMED, null);

        assertEquals(4_000.0, stats.timingOf(key("blob", "encrypt", OperationStats.SUCCESS)).totalNanos(), 1e-9);
        OperationStats.Timing untimed = stats.timingOf(key("blob", "decrypt", OperationStats.SUCCESS));
        assertEquals(1, untimed.count());
        assertEquals(0.0, untimed.totalNanos(), 1e-9);
    }

    @Test
    void failuresAndUnknownNames_goToTheirOwnSeries() {
        OperationStats stats = new OperationStats();
        stats.cipherOperation("property", "decrypt", OperationObserver.NOT_TIMED, new DecryptionFailedException("x"));
        stats.cipherOperation("deterministic", "encrypt", 50, null);
        stats.keystoreCall("primary", "unwrap", 70, null);

        assertEquals(0, stats.timingOf(key("property", "decrypt", OperationStats.SUCCESS)).count());
        assertEquals(1, stats.timingOf(key("property", "decrypt", OperationStats.FAILURE)).count());
        assertEquals(1, stats.failuresOf("DecryptionFailedException"));
        assertEquals(1, stats.timingOf(key("deterministic", "encrypt", OperationStats.SUCCESS)).count());
        assertEquals(70.0, stats.timingOf(new OperationStats.Key("keystore", "primary", "unwrap", OperationStats.SUCCESS))
                .totalNanos(), 1e-9);
    }
}
