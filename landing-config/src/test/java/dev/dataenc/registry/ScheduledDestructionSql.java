package dev.dataenc.registry;

import dev.dataenc.cdk.CdkId;

import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** For the registry contract: puts a RETIRED CDK in DESTRUCTION_SCHEDULED with a waiting period already over. */
final class ScheduledDestructionSql {

    private ScheduledDestructionSql() {
    }

    static void scheduleDue(RegistryDatabase db, CdkId id) {
        db.write("schedule a due destruction", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE dataenc_cdk SET status = 'DESTRUCTION_SCHEDULED',"
                    + " destruction_due_at = ? WHERE id = ? AND status = 'RETIRED'")) {
                s.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1));
                s.setString(2, id.toString());
                if (s.executeUpdate() != 1) {
                    throw new IllegalStateException("CDK " + id + " is not RETIRED");
                }
            }
            return null;
        });
    }
}
