-- Cluster view and registry-held rotation policy. Portable between H2 2.x and PostgreSQL 12+.

-- The rotation policy is part of the registry's data-encryption state: recorded from the configuration file
-- by the first application start (NULL until then), changed only by 'dataenc policy set'.
ALTER TABLE dataenc_control ADD COLUMN rotation_max_age_seconds BIGINT;
ALTER TABLE dataenc_control ADD COLUMN rotation_max_messages BIGINT;

-- One row per running application process (control plane that reconciles), written at start and on every
-- heartbeat, deleted on a clean close; a row whose last_seen is older than its node_expiry is deleted by any
-- live node. last_seen and started_at are the database's clock, so nodes' clocks need not agree.
-- Counts and states only: never key bytes, never data.
CREATE TABLE dataenc_node (
    id                   VARCHAR(36)   NOT NULL PRIMARY KEY,
    host                 VARCHAR(255)  NOT NULL,
    pid                  BIGINT        NOT NULL,
    tool                 VARCHAR(200)  NOT NULL,
    version              VARCHAR(64)   NOT NULL,
    started_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen            TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_millis     BIGINT        NOT NULL,
    file_active_keystore VARCHAR(200)  NOT NULL,
    drift                VARCHAR(2000),
    keystores            VARCHAR(4000) NOT NULL,
    last_refusal         VARCHAR(4000),
    cache_hits           BIGINT        NOT NULL,
    cache_misses         BIGINT        NOT NULL,
    cache_keystore_calls BIGINT        NOT NULL,
    cache_evictions      BIGINT        NOT NULL,
    cache_entries        INT           NOT NULL,
    unflushed_usage      BIGINT        NOT NULL
);
