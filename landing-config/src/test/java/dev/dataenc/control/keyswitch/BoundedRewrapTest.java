package dev.dataenc.control.keyswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.Wrapping;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The re-wrap runner on its own: in-flight bound, one commit per result on the caller's thread, failures. */
class BoundedRewrapTest {

    @Test
    void fourWorkers_fourCdksInFlightTogetherNeverMore_everyResultCommittedOnceByTheCaller() {
        List<Cdk> todo = cdksWrappedBy("a", 20);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch firstFour = new CountDownLatch(4);
        List<CdkId> committed = Collections.synchronizedList(new ArrayList<>());
        Set<String> committingThreads = ConcurrentHashMap.newKeySet();
        BoundedRewrap.run(todo, 4, cdk -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            firstFour.countDown();
            try {
                // the first four wait for each other: proof that four CDKs are in flight together
                if (!firstFour.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("four workers never ran at once");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            inFlight.decrementAndGet();
            return wrapped(cdk);
        }, batch -> {
            committingThreads.add(Thread.currentThread().getName());
            batch.forEach(w -> committed.add(w.cdk().id()));
        });
        assertEquals(4, peak.get());
        assertEquals(todo.stream().map(Cdk::id).collect(Collectors.toSet()), Set.copyOf(committed));
        assertEquals(todo.size(), committed.size(), "each CDK committed once");
        assertEquals(Set.of(Thread.currentThread().getName()), committingThreads, "only the caller's thread commits");
    }

    @Test
    void workerFails_noMoreHandedOut_theOnesThatReturnedAreStillCommitted_failureThrown() {
        List<Cdk> todo = cdksWrappedBy("a", 30);
        Cdk bad = todo.get(2);
        IllegalStateException boom = new IllegalStateException("keystore refused CDK " + bad.id());
        AtomicInteger started = new AtomicInteger();
        List<CdkId> committed = Collections.synchronizedList(new ArrayList<>());
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> BoundedRewrap.run(todo, 2, cdk -> {
            started.incrementAndGet();
            if (cdk == bad) {
                throw boom;
            }
            return wrapped(cdk);
        }, batch -> batch.forEach(w -> committed.add(w.cdk().id()))));
        assertSame(boom, thrown);
        assertEquals(started.get() - 1, committed.size(), "every CDK whose keystore calls returned was stored");
        assertFalse(committed.contains(bad.id()));
    }

    @Test
    void sequentialWorkerFails_stopsAtThatCdk() {
        List<Cdk> todo = cdksWrappedBy("a", 10);
        Cdk bad = todo.get(2);
        AtomicInteger started = new AtomicInteger();
        List<CdkId> committed = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> BoundedRewrap.run(todo, 1, cdk -> {
            started.incrementAndGet();
            if (cdk == bad) {
                throw new IllegalStateException("refused");
            }
            return wrapped(cdk);
        }, batch -> batch.forEach(w -> committed.add(w.cdk().id()))));
        assertEquals(3, started.get());
        assertEquals(List.of(todo.get(0).id(), todo.get(1).id()), committed);
    }

    @Test
    void commitFails_nothingMoreCommitted_failureThrown() {
        AtomicInteger commits = new AtomicInteger();
        IllegalStateException lost = new IllegalStateException("another process took the job over");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> BoundedRewrap.run(cdksWrappedBy("a", 12),
                3, BoundedRewrapTest::wrapped, batch -> {
                    commits.incrementAndGet();
                    throw lost;
                }));
        assertSame(lost, thrown);
        assertEquals(1, commits.get(), "after a failed commit nothing else is stored");
    }

    @Test
    void concurrency_largestHintOfTargetAndOfTheKeystoresHoldingWrappings_atMostOnePerCdk() {
        Keystore a = hint("a", 1);
        Keystore kms = hint("kms", 8);
        Keystore other = hint("other", 32);
        assertEquals(8, BoundedRewrap.concurrency(a, List.of(a, kms, other), cdksWrappedBy("kms", 20)),
                "the source's hint counts; a keystore holding no wrapping does not");
        assertEquals(1, BoundedRewrap.concurrency(a, List.of(a, kms), cdksWrappedBy("a", 20)));
        assertEquals(3, BoundedRewrap.concurrency(kms, List.of(a, kms), cdksWrappedBy("a", 3)));
    }

    private static List<Cdk> cdksWrappedBy(String keystore, int n) {
        List<Cdk> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Cdk(CdkId.random(), CdkStatus.DECRYPT_ONLY, Instant.EPOCH,
                    List.of(new Wrapping(keystore, "mk", "", new byte[] {1}))));
        }
        return out;
    }

    private static Wrapping wrapped(Cdk cdk) {
        return new Wrapping("b", "mk-b", "", new byte[] {2});
    }

    /** A keystore that only answers its name and hint (all the runner asks). */
    private static Keystore hint(String name, int concurrency) {
        return new Keystore() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String type() {
                return "hint-only";
            }

            @Override
            public GeneratedDataKey generateDataKey(CdkId cdkId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Wrapping wrap(DataKey key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public DataKey unwrap(CdkId cdkId, Wrapping wrapping) {
                throw new UnsupportedOperationException();
            }

            @Override
            public MasterKeyDescription describe() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int rewrapConcurrency() {
                return concurrency;
            }
        };
    }
}
