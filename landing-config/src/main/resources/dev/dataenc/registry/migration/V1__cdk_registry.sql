-- CDK registry: customer data keys (never plaintext) and their wrappings.
-- Portable between H2 2.x and PostgreSQL 12+.

CREATE TABLE dataenc_cdk (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    status        VARCHAR(16)  NOT NULL,
    -- TRUE for the one ACTIVE CDK, NULL otherwise: the UNIQUE constraint makes a second
    -- ACTIVE CDK impossible, whichever node or process tries (NULLs do not collide).
    active_marker BOOLEAN,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    row_version   BIGINT       NOT NULL,
    CONSTRAINT dataenc_cdk_status CHECK (status IN ('ACTIVE', 'DECRYPT_ONLY', 'RETIRED')),
    CONSTRAINT dataenc_cdk_marker CHECK ((status = 'ACTIVE' AND active_marker = TRUE)
                                      OR (status <> 'ACTIVE' AND active_marker IS NULL)),
    CONSTRAINT dataenc_cdk_one_active UNIQUE (active_marker)
);

CREATE TABLE dataenc_cdk_wrapping (
    cdk_id             VARCHAR(36)  NOT NULL REFERENCES dataenc_cdk (id),
    keystore_name      VARCHAR(200) NOT NULL,
    master_key_id      VARCHAR(512) NOT NULL,
    master_key_version VARCHAR(100) NOT NULL,
    wrapped_key        BYTEA        NOT NULL,
    added_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT dataenc_cdk_wrapping_pk PRIMARY KEY (cdk_id, keystore_name, master_key_id, master_key_version)
);
