package dev.dataenc.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The {@code max-requests-per-second} pacer on a fake clock: requests are spaced evenly, idle time is not saved up. */
class RequestPacerTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(5_000 * MS);
    private final List<Long> slept = new ArrayList<>();
    private final RequestPacer pacer = new RequestPacer(100, now::get, slept::add); // one request per 10 ms

    @Test
    void burstAtOneMoment_eachRequestWaitsOneIntervalMoreThanThePrevious() {
        for (int i = 0; i < 4; i++) {
            pacer.acquire();
        }
        assertEquals(List.of(10 * MS, 20 * MS, 30 * MS), slept, "the first goes at once, the others 10 ms apart");
    }

    @Test
    void afterIdleTime_noBurstIsSavedUp() {
        pacer.acquire();
        now.addAndGet(1_000 * MS); // a second without requests
        assertEquals(0, pacer.acquire());
        assertEquals(10 * MS, pacer.acquire(), "idle time does not let the next ones through together");
    }

    @Test
    void requestWithinInterval_waitsForTheRestOfIt() {
        pacer.acquire();
        now.addAndGet(4 * MS);
        assertEquals(6 * MS, pacer.acquire());
    }

    @Test
    void rateBelowOne_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RequestPacer(0));
    }
}
