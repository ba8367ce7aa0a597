-- Retirement and destruction that never strand data. Portable between H2 2.x and PostgreSQL 12+.

-- Scheduled destruction (like a KMS key deletion): a RETIRED CDK waits in DESTRUCTION_SCHEDULED until
-- destruction_due_at; it can be cancelled until then, and only then may its wrappings be deleted.
ALTER TABLE dataenc_cdk ADD COLUMN destruction_due_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE dataenc_cdk DROP CONSTRAINT dataenc_cdk_status;
ALTER TABLE dataenc_cdk ALTER COLUMN status SET DATA TYPE VARCHAR(32);
ALTER TABLE dataenc_cdk ADD CONSTRAINT dataenc_cdk_status
    CHECK (status IN ('ACTIVE', 'DECRYPT_ONLY', 'RETIRED', 'DESTRUCTION_SCHEDULED', 'DESTROYED'));
ALTER TABLE dataenc_cdk ADD CONSTRAINT dataenc_cdk_destruction_due
    CHECK ((status = 'DESTRUCTION_SCHEDULED' AND destruction_due_at IS NOT NULL)
        OR (status <> 'DESTRUCTION_SCHEDULED' AND destruction_due_at IS NULL));

-- Operator evidence where no scan can prove anything (BLOBs, until BLOB migration exists): who attested
-- what about a CDK, why, and the usage counter it covered (a later BLOB under the CDK voids it).
CREATE TABLE dataenc_cdk_attestation (
    cdk_id        VARCHAR(36)   NOT NULL REFERENCES dataenc_cdk (id),
    kind          VARCHAR(16)   NOT NULL,
    covered_count BIGINT        NOT NULL,
    reason        VARCHAR(2000) NOT NULL,
    attested_by   VARCHAR(200)  NOT NULL,
    attested_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT dataenc_cdk_attestation_pk PRIMARY KEY (cdk_id, kind),
    CONSTRAINT dataenc_cdk_attestation_kind CHECK (kind IN ('NO_BLOBS'))
);

-- The context a re-binding migration decrypts with ('dataenc migrate --from-context OLD'); NULL otherwise.
-- A resumed job keeps it.
ALTER TABLE dataenc_migration ADD COLUMN from_context VARCHAR(1000);

-- The values per CDK a migration found in its source when it was planned (headers only): which sources
-- have held data under which CDK. Only such a source's scans count as evidence for retiring that CDK.
CREATE TABLE dataenc_migration_prescan (
    migration_id  VARCHAR(36) NOT NULL REFERENCES dataenc_migration (id),
    cdk_id        VARCHAR(36) NOT NULL,
    value_count   BIGINT      NOT NULL,
    CONSTRAINT dataenc_migration_prescan_pk PRIMARY KEY (migration_id, cdk_id)
);

-- Sources an admin declared mistaken ('dataenc migrate forget'): their migrations up to forgotten_at
-- are no evidence for or against retiring a CDK. A later migration of the same source counts again.
CREATE TABLE dataenc_forgotten_source (
    source        VARCHAR(1000) NOT NULL,
    forgotten_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    forgotten_by  VARCHAR(200)  NOT NULL,
    reason        VARCHAR(2000) NOT NULL,
    CONSTRAINT dataenc_forgotten_source_pk PRIMARY KEY (source, forgotten_at)
);
