package dev.dataenc.control.lifecycle;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.JdbcAuditTrail;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.keyswitch.CrashPoint;
import dev.dataenc.error.RegistryConflictException;
import dev.dataenc.error.UnknownCdkException;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.registry.JdbcCdkRegistry;
import dev.dataenc.registry.RegistryDatabase;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scheduled destruction of RETIRED CDKs, like a KMS key deletion. {@link #schedule} puts a RETIRED CDK in
 * DESTRUCTION_SCHEDULED for a waiting period ({@value #DEFAULT_WAITING_DAYS} days by default, between
 * {@value #MIN_WAITING_DAYS} and {@value #MAX_WAITING_DAYS}); meanwhile every use of it is refused
 * ({@link dev.dataenc.error.CdkDestructionScheduledException}) and raises an alarm ({@link DestructionAlarm}),
 * and {@link #cancel} makes it RETIRED again. Only {@link #completeDue}, after the waiting period, deletes its
 * wrappings. Every step is one registry transaction together with its audit entry.
 *
 * <p>Completion is an explicit admin step ({@code dataenc destroy-cdk --complete-due}, which may be run from
 * cron), never a side effect of an application node: deleting key material stays an operator's decision,
 * taken with the registry's clock.
 */
public final class CdkDestruction {

    /** The default waiting period. */
    public static final int DEFAULT_WAITING_DAYS = 30;
    /** The shortest waiting period allowed. */
    public static final int MIN_WAITING_DAYS = 7;
    /** The longest waiting period allowed. */
    public static final int MAX_WAITING_DAYS = 365;

    private final JdbcCdkRegistry registry;
    private final RegistryDatabase db;
    private final CdkUsageStore usage;
    private final BlobAttestations attestations;
    private final String actor;
    private final Clock clock;
    private final Runnable forgetKeys;
    private final CrashPoint steps;

    /**
     * @param forgetKeys drops this process's cached plaintext keys (called after a CDK is scheduled or destroyed)
     */
    public CdkDestruction(JdbcCdkRegistry registry, RegistryDatabase db, CdkUsageStore usage,
                          BlobAttestations attestations, String actor, Clock clock, Runnable forgetKeys) {
        this(registry, db, usage, attestations, actor, clock, forgetKeys, CrashPoint.NONE);
    }

    /**
     * As {@link #CdkDestruction(JdbcCdkRegistry, RegistryDatabase, CdkUsageStore, BlobAttestations, String, Clock,
     * Runnable)}, with a step hook called after each committed change: {@code destruction-scheduled},
     * {@code destruction-cancelled}, {@code cdk-destroyed} (per CDK).
     */
    public CdkDestruction(JdbcCdkRegistry registry, RegistryDatabase db, CdkUsageStore usage,
                          BlobAttestations attestations, String actor, Clock clock, Runnable forgetKeys,
                          CrashPoint steps) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.db = Objects.requireNonNull(db, "db");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.attestations = Objects.requireNonNull(attestations, "attestations");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.forgetKeys = Objects.requireNonNull(forgetKeys, "forgetKeys");
        this.steps = steps == null ? CrashPoint.NONE : steps;
    }

    /**
     * Schedules the destruction of a RETIRED CDK after {@code waiting}.
     *
     * @return the schedule, with the CDK's usage counts
     * @throws CdkLifecycleRefusedException if the waiting period is out of range, the CDK is not RETIRED, or its usage
     *                                      counters record BLOBs no attestation covers (nothing changes)
     * @throws UnknownCdkException if the registry does not know it
     */
    public DestructionSchedule schedule(CdkId id, Duration waiting) {
        Cdk cdk = require(id);
        if (waiting.compareTo(Duration.ofDays(MIN_WAITING_DAYS)) < 0 || waiting.compareTo(Duration.ofDays(MAX_WAITING_DAYS)) > 0) {
            throw new CdkLifecycleRefusedException(id, "the waiting period must be between " + MIN_WAITING_DAYS + " and "
                    + MAX_WAITING_DAYS + " days, got " + waiting.toDays() + " days");
        }
        if (cdk.status() != CdkStatus.RETIRED) {
            throw new CdkLifecycleRefusedException(id, "CDK " + id + " is " + cdk.status() + "; only a RETIRED CDK can be"
                    + " scheduled for destruction. " + switch (cdk.status()) {
                        case DESTRUCTION_SCHEDULED -> "Its destruction is already scheduled (" + dueAt(id)
                                + "); 'dataenc destroy-cdk --cancel " + id + "' cancels it.";
                        case DESTROYED -> "It is already destroyed.";
                        default -> "Retire it first ('dataenc retire-cdks'), which needs a migration proving no record"
                                + " references it.";
                    });
        }
        attestations.whyBlobsBlock(id).ifPresent(why -> {
            throw new CdkLifecycleRefusedException(id, "CDK " + id + " cannot be scheduled for destruction: " + why);
        });
        CdkUsage used = usage.all().getOrDefault(id, CdkUsage.NONE);
        Instant due = clock.instant().plus(waiting).truncatedTo(ChronoUnit.MILLIS);
        db.write("schedule the destruction of CDK " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_cdk SET status = 'DESTRUCTION_SCHEDULED',"
                    + " destruction_due_at = ?, row_version = row_version + 1 WHERE id = ? AND status = 'RETIRED'")) {
                s.setObject(1, OffsetDateTime.ofInstant(due, ZoneOffset.UTC));
                s.setString(2, id.toString());
                if (s.executeUpdate() != 1) {
                    throw new CdkLifecycleRefusedException(id, "CDK " + id + " changed meanwhile (it is no longer"
                            + " RETIRED); check 'dataenc status' and retry");
                }
            }
            JdbcAuditTrail.insert(c, actor, AuditAction.CDK_DESTRUCTION_SCHEDULED, id, null, "RETIRED ->"
                    + " DESTRUCTION_SCHEDULED: wrappings by " + keystores(cdk) + " are deleted after " + due + " ("
                    + waiting.toDays() + " days); usage counters: " + used.describe() + "; cancel with 'dataenc"
                    + " destroy-cdk --cancel " + id + "'");
            return null;
        });
        forgetKeys.run();
        steps.reached("destruction-scheduled");
        return new DestructionSchedule(id, due, used);
    }

    /**
     * Cancels a scheduled destruction: the CDK is RETIRED again (and decrypts again).
     *
     * @throws CdkLifecycleRefusedException if its destruction is not scheduled (nothing changes)
     */
    public Cdk cancel(CdkId id) {
        Cdk cdk = require(id);
        if (cdk.status() != CdkStatus.DESTRUCTION_SCHEDULED) {
            throw new CdkLifecycleRefusedException(id, "CDK " + id + " is " + cdk.status() + "; only a scheduled"
                    + " destruction can be cancelled" + (cdk.status() == CdkStatus.DESTROYED
                    ? " (it is already destroyed: its wrappings are gone)" : ""));
        }
        db.write("cancel the destruction of CDK " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_cdk SET status = 'RETIRED',"
                    + " destruction_due_at = NULL, row_version = row_version + 1 WHERE id = ?"
                    + " AND status = 'DESTRUCTION_SCHEDULED'")) {
                s.setString(1, id.toString());
                if (s.executeUpdate() != 1) {
                    throw new CdkLifecycleRefusedException(id, "CDK " + id + " changed meanwhile (destroyed, or"
                            + " cancelled by someone else); check 'dataenc status'");
                }
            }
            JdbcAuditTrail.insert(c, actor, AuditAction.CDK_DESTRUCTION_CANCELLED, id, null,
                    "DESTRUCTION_SCHEDULED -> RETIRED: destruction cancelled; its wrappings are kept");
            return null;
        });
        steps.reached("destruction-cancelled");
        return require(id);
    }

    /** Every CDK waiting to be destroyed, soonest first. */
    public List<DestructionSchedule> scheduled() {
        Map<CdkId, CdkUsage> used = usage.all();
        return db.read("read the scheduled destructions", c -> {
            List<DestructionSchedule> list = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, destruction_due_at FROM dataenc_cdk"
                    + " WHERE status = 'DESTRUCTION_SCHEDULED' ORDER BY destruction_due_at, id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    CdkId id = CdkId.parse(rs.getString(1));
                    list.add(new DestructionSchedule(id, rs.getObject(2, OffsetDateTime.class).toInstant(),
                            used.getOrDefault(id, CdkUsage.NONE)));
                }
            }
            return list;
        });
    }

    /**
     * Destroys every CDK whose waiting period has ended: deletes all its wrappings (irreversible), each in one
     * transaction with its {@link AuditAction#CDK_DESTROYED} entry. CDKs still waiting are left alone.
     *
     * @return the CDKs destroyed now
     */
    public List<Cdk> completeDue() {
        Instant now = clock.instant();
        List<Cdk> destroyed = new ArrayList<>();
        for (DestructionSchedule due : scheduled()) {
            if (!due.isDue(now)) {
                continue;
            }
            Cdk before = registry.find(due.cdkId()).orElse(null);
            if (before == null || before.status() != CdkStatus.DESTRUCTION_SCHEDULED) {
                continue; // cancelled meanwhile
            }
            try {
                destroyed.add(registry.destroy(due.cdkId(), c -> {
                    JdbcAuditTrail.insert(c, actor, AuditAction.CDK_DESTROYED, due.cdkId(), null,
                            "DESTRUCTION_SCHEDULED -> DESTROYED after the waiting period (due " + due.dueAt() + "): "
                                    + before.wrappings().size() + " wrapping(s) by " + keystores(before) + " deleted;"
                                    + " usage counters: " + due.usage().describe() + "; data encrypted under it can"
                                    + " never be decrypted again");
                    return null;
                }));
                steps.reached("cdk-destroyed");
            } catch (RegistryConflictException e) {
                // cancelled by another admin between our read and the destruction: nothing to do
            }
        }
        if (!destroyed.isEmpty()) {
            forgetKeys.run();
        }
        return destroyed;
    }

    private String dueAt(CdkId id) {
        return scheduled().stream().filter(s -> s.cdkId().equals(id)).findFirst()
                .map(s -> "due " + s.dueAt()).orElse("due time unknown");
    }

    private Cdk require(CdkId id) {
        return registry.find(id).orElseThrow(() -> new UnknownCdkException(id, "CDK " + id
                + " is not in the registry; 'dataenc status' lists the CDKs by status"));
    }

    private static List<String> keystores(Cdk cdk) {
        return cdk.wrappings().stream().map(Wrapping::keystoreName).distinct().toList();
    }

    @Override
    public String toString() {
        return "CdkDestruction[" + db.displayUrl() + "]";
    }
}
