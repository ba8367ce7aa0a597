package dev.dataenc.metrics;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.error.DataEncException;
import dev.dataenc.inject.DataEncService;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds dataenc's meters to a Micrometer registry (Micrometer is an optional dependency: this class is the only
 * one that uses it, and is loaded only by a host that calls it). Meters:
 * <ul>
 *   <li>{@code dataenc.operations} (timer; tags {@code cipher} property/blob, {@code operation} encrypt/decrypt,
 *       {@code outcome} success/failure): every property encryption and decryption and every whole-BLOB
 *       {@code encrypt}/{@code decrypt} call, with its latency; and every BLOB stream once it ends, as {@code operation}
 *       {@code encrypt-stream}, {@code decrypt-stream} (success: the whole BLOB written / verified) or
 *       {@code decrypt-stream-closed-early} (closed by the caller before the end), timed from opening the stream;</li>
 *   <li>{@code dataenc.failures} (counter; tag {@code type}, the exception's simple class name): failed operations;</li>
 *   <li>{@code dataenc.keystore.calls} (timer; tags {@code keystore}, {@code operation} unwrap/generate/wrap/rewrap,
 *       {@code outcome}): calls to keystores, their latency and errors: unwrapping CDKs (cache misses, re-wraps),
 *       generating CDKs (rotations, the first CDK, a switch's new CDK), wrapping or re-wrapping CDKs under a switch's
 *       target;</li>
 *   <li>{@code dataenc.cache.requests} (counter; tag {@code result} hit/miss), {@code dataenc.cache.evictions}
 *       (counter), {@code dataenc.cache.size} (gauge): the CDK cache;</li>
 *   <li>{@code dataenc.cdk.active.age} and {@code dataenc.cdk.active.max.age} (gauges, seconds): the ACTIVE CDK's
 *       age and the rotation policy's maximum (age is NaN while there is no ACTIVE CDK, after the service closed,
 *       and while the registry cannot be read).</li>
 * </ul>
 * The age gauges read the registry each time they are sampled (one indexed query).
 */
public final class DataEncMetrics implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(DataEncMetrics.class);

    private final ControlPlane plane;
    private final Clock clock;

    /** Meters of a running service. */
    public DataEncMetrics(DataEncService service) {
        this(service.controlPlane());
    }

    /** Meters of an open control plane. */
    public DataEncMetrics(ControlPlane plane) {
        this(plane, Clock.systemUTC());
    }

    DataEncMetrics(ControlPlane plane, Clock clock) {
        this.plane = Objects.requireNonNull(plane, "plane");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        OperationStats stats = plane.operationStats();
        stats.subscribe(key -> timer(registry, stats, key), type -> failureCounter(registry, stats, type));

        FunctionCounter.builder("dataenc.cache.requests", plane, p -> p.cacheStats().hits())
                .tag("result", "hit").description("CDK cache requests").register(registry);
        FunctionCounter.builder("dataenc.cache.requests", plane, p -> p.cacheStats().misses())
                .tag("result", "miss").description("CDK cache requests").register(registry);
        FunctionCounter.builder("dataenc.cache.evictions", plane, p -> p.cacheStats().evictions())
                .description("CDK keys removed from the cache and destroyed").register(registry);
        Gauge.builder("dataenc.cache.size", plane, p -> p.cacheStats().entries())
                .description("CDK keys cached now").register(registry);

        // strongly: Micrometer holds a gauge's object weakly, and nothing else may hold this one (a host that writes
        // 'new DataEncMetrics(service).bindTo(meters)' keeps no reference), so the gauge read NaN after a GC
        Gauge.builder("dataenc.cdk.active.age", this, DataEncMetrics::activeAgeSeconds).strongReference(true)
                .baseUnit("seconds").description("age of the ACTIVE CDK").register(registry);
        Gauge.builder("dataenc.cdk.active.max.age", plane, p -> p.config().rotation().maxAge().toSeconds())
                .baseUnit("seconds").description("rotation policy: maximum age of the ACTIVE CDK").register(registry);
    }

    private static void timer(MeterRegistry registry, OperationStats stats, OperationStats.Key key) {
        OperationStats.Timing t = stats.liveTiming(key);
        boolean cipher = key.kind().equals("cipher");
        FunctionTimer.builder(cipher ? "dataenc.operations" : "dataenc.keystore.calls", t,
                        OperationStats.Timing::count, OperationStats.Timing::totalNanos, TimeUnit.NANOSECONDS)
                .tag(cipher ? "cipher" : "keystore", key.subject())
                .tag("operation", key.operation())
                .tag("outcome", key.outcome())
                .description(cipher ? "dataenc encryptions and decryptions" : "calls to keystores")
                .register(registry);
    }

    private static void failureCounter(MeterRegistry registry, OperationStats stats, String type) {
        FunctionCounter.builder("dataenc.failures", stats.failureCounter(type), LongAdder::sum)
                .tag("type", type).description("failed dataenc operations by exception type").register(registry);
    }

    /**
     * The ACTIVE CDK's age in seconds; NaN while there is none, once the plane is closed (a meter registry may outlive
     * the service), or while the registry cannot be read (a scrape must not fail or log a stack trace for that: the
     * health indicator and the application's own errors report an unreachable registry).
     */
    double activeAgeSeconds() {
        if (plane.isClosed()) {
            return Double.NaN;
        }
        try {
            Optional<Cdk> active = plane.registry().findActive();
            return active.map(c -> (double) Duration.between(c.createdAt(), clock.instant()).toSeconds()).orElse(Double.NaN);
        } catch (DataEncException e) {
            LOG.debug("ACTIVE CDK age not available: {}", e.getMessage());
            return Double.NaN;
        }
    }
}
