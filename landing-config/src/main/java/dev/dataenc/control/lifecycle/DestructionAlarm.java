package dev.dataenc.control.lifecycle;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditTrail;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.CdkDestructionScheduledException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the alarm when something asks for a CDK whose destruction is scheduled: logs at ERROR and records
 * {@link AuditAction#CDK_USE_REFUSED_ALARM} in the audit trail (at most once per CDK per {@link #REPEAT} in a
 * process, so a loop of failing reads cannot flood the trail; every refusal is still logged). The use
 * itself is refused by the key source ({@link dev.dataenc.error.CdkDestructionScheduledException}).
 */
public final class DestructionAlarm implements Consumer<CdkDestructionScheduledException> {

    /** How long after an audited alarm the same CDK's next refusal is only logged. */
    public static final Duration REPEAT = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(DestructionAlarm.class);

    private final AuditTrail audit;
    private final Clock clock;
    private final Map<CdkId, Instant> lastAudited = new ConcurrentHashMap<>();

    public DestructionAlarm(AuditTrail audit, Clock clock) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void accept(CdkDestructionScheduledException refused) {
        CdkId id = refused.cdkId();
        LOG.error("ALARM: refused to use CDK {}, which is scheduled for destruction: data encrypted under it still"
                + " exists. Cancel with 'dataenc destroy-cdk --cancel {}' before the waiting period ends.", id, id);
        Instant now = clock.instant();
        Instant previous = lastAudited.get(id);
        if (previous != null && now.isBefore(previous.plus(REPEAT))) {
            return;
        }
        lastAudited.put(id, now);
        try {
            audit.record(AuditAction.CDK_USE_REFUSED_ALARM, id, null, "a key request for this CDK was refused because"
                    + " its destruction is scheduled: data under it still exists; cancel with 'dataenc destroy-cdk"
                    + " --cancel " + id + "', then migrate that data");
        } catch (RuntimeException e) {
            LOG.error("cannot record the alarm for CDK {} in the audit trail: {}", id, e.getMessage());
        }
    }
}
