package dev.dataenc.control.keyswitch;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.Wrapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs the re-wrap of many CDKs on at most {@code concurrency} threads. Each CDK's work (keystore calls, then
 * the commit of its verified wrapping in its own transaction) runs on a worker; the caller's thread is told of
 * each CDK whose work returned, in completion order, and records progress there (one writer of the job row). No
 * more than {@code concurrency} CDKs are ever in flight: the next is handed out only when one finished. The first
 * failure stops handing out CDKs; the ones in flight finish (each either commits its wrapping or does not), then
 * it is thrown. With concurrency 1 everything runs on the caller's thread, one CDK after the other.
 */
final class BoundedRewrap {

    private BoundedRewrap() {
    }

    /**
     * The largest {@linkplain Keystore#rewrapConcurrency() hint} of {@code target} and of the opened keystores
     * named by the CDKs' current wrappings (the ones that unwrap them), at most one thread per CDK.
     */
    static int concurrency(Keystore target, Collection<Keystore> opened, List<Cdk> todo) {
        Set<String> sources = new HashSet<>();
        for (Cdk cdk : todo) {
            for (Wrapping w : cdk.wrappings()) {
                sources.add(w.keystoreName());
            }
        }
        int n = Math.max(1, target.rewrapConcurrency());
        for (Keystore k : opened) {
            if (sources.contains(k.name())) {
                n = Math.max(n, k.rewrapConcurrency());
            }
        }
        return Math.max(1, Math.min(n, todo.size()));
    }

    /**
     * Runs {@code work} for every CDK, at most {@code concurrency} at once, and {@code done} on this thread for each
     * whose work returned.
     *
     * @throws RuntimeException the first failure of {@code work} or {@code done}, after the CDKs in flight finished
     */
    static void run(List<Cdk> todo, int concurrency, Consumer<Cdk> work, Consumer<Cdk> done) {
        if (concurrency <= 1 || todo.size() <= 1) {
            for (Cdk cdk : todo) {
                work.accept(cdk);
                done.accept(cdk);
            }
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "dataenc-rewrap-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CompletionService<Cdk> completions = new ExecutorCompletionService<>(pool);
        List<Future<Cdk>> inFlight = new ArrayList<>();
        RuntimeException failure = null;
        int next = 0;
        int running = 0;
        try {
            while (next < todo.size() && running < concurrency) {
                inFlight.add(submit(completions, work, todo.get(next++)));
                running++;
            }
            while (running > 0) {
                Future<Cdk> finished;
                try {
                    finished = completions.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = first(failure, new DataEncException("interrupted while re-wrapping CDKs", e));
                    break;
                }
                running--;
                inFlight.remove(finished);
                try {
                    Cdk cdk = finished.get();
                    if (failure == null) {
                        done.accept(cdk);
                    }
                } catch (ExecutionException e) {
                    failure = first(failure, unwrap(e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // cannot happen: the future is done
                } catch (RuntimeException e) {
                    failure = first(failure, e);
                }
                if (failure == null && next < todo.size()) {
                    inFlight.add(submit(completions, work, todo.get(next++)));
                    running++;
                }
            }
        } finally {
            pool.shutdown();
            awaitQuietly(inFlight);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Future<Cdk> submit(CompletionService<Cdk> completions, Consumer<Cdk> work, Cdk cdk) {
        return completions.submit(() -> {
            work.accept(cdk);
            return cdk;
        });
    }

    /** Waits for work still in flight (after an interrupt): each either commits its wrapping or does not. */
    private static void awaitQuietly(List<Future<Cdk>> inFlight) {
        boolean interrupted = Thread.interrupted();
        for (Future<Cdk> f : inFlight) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | RuntimeException e) {
                    break; // the first failure is already being thrown
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static RuntimeException first(RuntimeException failure, RuntimeException e) {
        if (failure == null) {
            return e;
        }
        if (failure != e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static RuntimeException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new DataEncException("re-wrapping a CDK failed", cause);
    }
}
