-- CDK lifecycle: ACTIVE -> DECRYPT_ONLY -> RETIRED -> DESTROYED. Portable between H2 2.x and PostgreSQL 12+.

-- When a CDK stopped being ACTIVE (set when another CDK replaced it). Retirement needs it: only a
-- reference scan that started after this time can prove no record uses the CDK.
ALTER TABLE dataenc_cdk ADD COLUMN decrypt_only_since TIMESTAMP WITH TIME ZONE;
-- When its wrappings were deleted on purpose ('dataenc destroy-cdk'); set only in status DESTROYED.
ALTER TABLE dataenc_cdk ADD COLUMN destroyed_at TIMESTAMP WITH TIME ZONE;

-- CDKs demoted before this column existed: they stopped being ACTIVE when the next CDK was
-- generated (or, if none is recorded, assume now: a later scan is still required).
UPDATE dataenc_cdk SET decrypt_only_since = COALESCE(
        (SELECT MIN(n.created_at) FROM dataenc_cdk n WHERE n.created_at > dataenc_cdk.created_at),
        CURRENT_TIMESTAMP)
    WHERE status <> 'ACTIVE';

ALTER TABLE dataenc_cdk DROP CONSTRAINT dataenc_cdk_status;
ALTER TABLE dataenc_cdk ADD CONSTRAINT dataenc_cdk_status
    CHECK (status IN ('ACTIVE', 'DECRYPT_ONLY', 'RETIRED', 'DESTROYED'));
ALTER TABLE dataenc_cdk ADD CONSTRAINT dataenc_cdk_destroyed
    CHECK ((status = 'DESTROYED' AND destroyed_at IS NOT NULL) OR (status <> 'DESTROYED' AND destroyed_at IS NULL));
