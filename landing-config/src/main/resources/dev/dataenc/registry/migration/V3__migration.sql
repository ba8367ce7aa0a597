-- Data migration (re-encryption of host records to the ACTIVE CDK): persisted jobs, their
-- batches (the checkpoint nodes claim), and the reference scan taken when a job completes.
-- Portable between H2 2.x and PostgreSQL 12+.

-- One row per migration job. running_source equals source while the job is RUNNING and is NULL
-- after: the UNIQUE constraint allows one unfinished job per source across all nodes. Counters are
-- the sums over the DONE batches (added in the same transaction that marks a batch DONE).
CREATE TABLE dataenc_migration (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    source              VARCHAR(1000) NOT NULL,
    target_cdk_id       VARCHAR(36)   NOT NULL,
    mode                VARCHAR(32)   NOT NULL,
    status              VARCHAR(16)   NOT NULL,
    running_source      VARCHAR(1000),
    batch_size          INT           NOT NULL,
    batches_total       INT           NOT NULL,
    records_estimate    BIGINT        NOT NULL,
    records             BIGINT        NOT NULL,
    migrated            BIGINT        NOT NULL,
    already_target      BIGINT        NOT NULL,
    null_values         BIGINT        NOT NULL,
    plaintext_values    BIGINT        NOT NULL,
    encrypted_plaintext BIGINT        NOT NULL,
    changed_by_app      BIGINT        NOT NULL,
    unreadable          BIGINT        NOT NULL,
    ref_plaintext       BIGINT,
    ref_unreadable      BIGINT,
    started_by          VARCHAR(200)  NOT NULL,
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at        TIMESTAMP WITH TIME ZONE,
    row_version         BIGINT        NOT NULL,
    CONSTRAINT dataenc_migration_status CHECK (status IN ('RUNNING', 'COMPLETED')),
    CONSTRAINT dataenc_migration_mode CHECK (mode IN ('REENCRYPT', 'ENCRYPT_PLAINTEXT')),
    CONSTRAINT dataenc_migration_marker CHECK ((status = 'RUNNING' AND running_source = source)
                                            OR (status = 'COMPLETED' AND running_source IS NULL)),
    CONSTRAINT dataenc_migration_one_running UNIQUE (running_source)
);

-- The key space of a job split into batches: key_from inclusive (NULL = from the lowest key),
-- key_to exclusive (NULL = no upper bound, so rows inserted after planning are covered). A node
-- claims a PENDING batch (or a CLAIMED one whose lease ran out or whose owner's process is gone),
-- and marks it DONE with its counters in one transaction: the checkpoint.
CREATE TABLE dataenc_migration_batch (
    migration_id        VARCHAR(36)   NOT NULL REFERENCES dataenc_migration (id),
    batch_no            INT           NOT NULL,
    key_from            VARCHAR(1000),
    key_to              VARCHAR(1000),
    status              VARCHAR(16)   NOT NULL,
    owner               VARCHAR(200),
    lease_until         TIMESTAMP WITH TIME ZONE,
    attempts            INT           NOT NULL,
    records             BIGINT        NOT NULL,
    migrated            BIGINT        NOT NULL,
    already_target      BIGINT        NOT NULL,
    null_values         BIGINT        NOT NULL,
    plaintext_values    BIGINT        NOT NULL,
    encrypted_plaintext BIGINT        NOT NULL,
    changed_by_app      BIGINT        NOT NULL,
    unreadable          BIGINT        NOT NULL,
    done_by             VARCHAR(200),
    done_at             TIMESTAMP WITH TIME ZONE,
    row_version         BIGINT        NOT NULL,
    CONSTRAINT dataenc_migration_batch_pk PRIMARY KEY (migration_id, batch_no),
    CONSTRAINT dataenc_migration_batch_status CHECK (status IN ('PENDING', 'CLAIMED', 'DONE'))
);

CREATE INDEX dataenc_migration_batch_by_status ON dataenc_migration_batch (migration_id, status, batch_no);

-- The reference scan of a completed job: how many values of the source still reference each CDK
-- after the run (values a compare-and-set could not migrate, unreadable ones, the target's own).
CREATE TABLE dataenc_migration_refs (
    migration_id  VARCHAR(36) NOT NULL REFERENCES dataenc_migration (id),
    cdk_id        VARCHAR(36) NOT NULL,
    value_count   BIGINT      NOT NULL,
    CONSTRAINT dataenc_migration_refs_pk PRIMARY KEY (migration_id, cdk_id)
);
