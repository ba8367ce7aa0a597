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
import java.util.function.Function;

/**
 * Re-wraps many CDKs with at most {@code concurrency} keystore round trips in flight. Workers make the keystore
 * calls of one CDK each (wrap and verify); the caller's thread commits what they returned, every wrapping that
 * is ready in one small transaction (at most {@code concurrency} CDKs), so a wrapping reaches the registry only
 * after its keystore calls returned and the registry has one writer per switch. The next CDK is handed out only
 * when one finished, so no more than {@code concurrency} are ever in flight. The first failure stops handing
 * out CDKs; the ones in flight finish and are still committed (each is verified) unless a commit failed, then
 * the failure is thrown. With concurrency 1 everything runs on the caller's thread, one CDK after the other.
 */
final class BoundedRewrap {

    /**
     * A CDK's verified new wrapping, not yet stored.
     *
     * @param cdk      the CDK as read before the re-wrap
     * @param wrapping its new wrapping under the target
     */
    record Wrapped(Cdk cdk, Wrapping wrapping) {
    }

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
     * Runs {@code wrap} for every CDK, at most {@code concurrency} at once, and {@code commit} on this thread for
     * each group of results that are ready (in completion order; a group of one when sequential).
     *
     * @throws RuntimeException the first failure of {@code wrap} or {@code commit}, after the CDKs in flight finished
     */
    static void run(List<Cdk> todo, int concurrency, Function<Cdk, Wrapping> wrap, Consumer<List<Wrapped>> commit) {
        if (concurrency <= 1 || todo.size() <= 1) {
            for (Cdk cdk : todo) {
                commit.accept(List.of(new Wrapped(cdk, wrap.apply(cdk))));
            }
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "dataenc-rewrap-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CompletionService<Wrapped> completions = new ExecutorCompletionService<>(pool);
        RuntimeException failure = null;
        boolean commitFailed = false;
        int next = 0;
        int running = 0;
        try {
            while (running > 0 || (failure == null && next < todo.size())) {
                while (failure == null && next < todo.size() && running < concurrency) {
                    Cdk cdk = todo.get(next++);
                    completions.submit(() -> new Wrapped(cdk, wrap.apply(cdk)));
                    running++;
                }
                List<Wrapped> ready = new ArrayList<>();
                Future<Wrapped> f = completions.take();
                do {
                    running--;
                    try {
                        ready.add(f.get());
                    } catch (ExecutionException e) {
                        failure = first(failure, cause(e));
                    }
                    f = completions.poll();
                } while (f != null);
                if (!ready.isEmpty() && !commitFailed) {
                    try {
                        commit.accept(ready);
                    } catch (RuntimeException e) {
                        commitFailed = true;
                        failure = first(failure, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = first(failure, new DataEncException("interrupted while re-wrapping CDKs; the CDKs whose"
                    + " wrapping was stored keep it, the others are re-wrapped when the switch resumes", e));
        } finally {
            pool.shutdownNow(); // after an interrupt: workers still in flight store nothing (only this thread commits)
        }
        if (failure != null) {
            throw failure;
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

    private static RuntimeException cause(ExecutionException e) {
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
