package dev.dataenc.control.cluster;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.config.RotationPolicy;
import dev.dataenc.registry.RegistryDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CDK rotation policy as part of the registry's data-encryption state (columns of
 * {@code dataenc_control}): recorded from the configuration file by the first application start, changed
 * only by an admin ({@code dataenc policy set}), followed by every node whatever its file says.
 */
public final class RotationPolicyStore {

    private static final Logger AUDIT_LOG = LoggerFactory.getLogger("dev.dataenc.audit");

    private final RegistryDatabase db;

    public RotationPolicyStore(RegistryDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** The recorded policy, or empty if the registry has none yet (not initialised, or from before V8). */
    public Optional<RotationPolicy> read() {
        return db.read("read the rotation policy", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT rotation_max_age_seconds, rotation_max_messages"
                    + " FROM dataenc_control WHERE id = 1");
                 ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long age = rs.getLong(1);
                boolean noAge = rs.wasNull();
                long messages = rs.getLong(2);
                if (noAge || rs.wasNull()) {
                    return Optional.empty();
                }
                return Optional.of(new RotationPolicy(Duration.ofSeconds(age), messages));
            }
        });
    }

    /**
     * Records {@code policy} if the registry has a state row but no policy yet (first start, or a registry from before
     * the policy was kept there). Changes nothing otherwise.
     *
     * @return true if this call recorded it
     */
    public boolean initIfAbsent(RotationPolicy policy) {
        return db.write("record the rotation policy", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_control SET rotation_max_age_seconds = ?,"
                    + " rotation_max_messages = ? WHERE id = 1 AND rotation_max_age_seconds IS NULL")) {
                s.setLong(1, policy.maxAge().toSeconds());
                s.setLong(2, policy.maxMessages());
                return s.executeUpdate() == 1;
            }
        });
    }

    /**
     * Replaces the policy, with its audit entry ({@link AuditAction#ROTATION_POLICY_CHANGED}) in the same transaction.
     *
     * @return the policy before
     * @throws RegistryNotInitializedException if the registry has no recorded state
     */
    public Optional<RotationPolicy> set(RotationPolicy policy, String actor) {
        Optional<RotationPolicy> before = read();
        db.write("change the rotation policy", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_control SET rotation_max_age_seconds = ?,"
                    + " rotation_max_messages = ?, updated_at = ?, row_version = row_version + 1 WHERE id = 1")) {
                s.setLong(1, policy.maxAge().toSeconds());
                s.setLong(2, policy.maxMessages());
                s.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                if (s.executeUpdate() != 1) {
                    throw new RegistryNotInitializedException("the CDK registry at " + db.displayUrl() + " has no recorded"
                            + " data-encryption state yet; start an application on it (or run `dataenc rotate-cdk`) first");
                }
            }
            audit(c, actor, "rotation policy " + before.map(RotationPolicyStore::describe).orElse("(none recorded)")
                    + " -> " + describe(policy));
            return null;
        });
        return before;
    }

    /** E.g. {@code max age 90 days, max 2147483648 encryptions}. */
    public static String describe(RotationPolicy p) {
        return "max age " + p.maxAge().toDays() + " days, max " + p.maxMessages() + " encryptions";
    }

    private static void audit(Connection c, String actor, String detail) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dataenc_audit (at, actor, action, cdk_id, keystore, detail)"
                + " VALUES (?, ?, ?, NULL, NULL, ?)")) {
            s.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            s.setString(2, actor);
            s.setString(3, AuditAction.ROTATION_POLICY_CHANGED.name());
            s.setString(4, detail);
            s.executeUpdate();
        }
        AUDIT_LOG.info("{} {}", AuditAction.ROTATION_POLICY_CHANGED, detail);
    }
}
