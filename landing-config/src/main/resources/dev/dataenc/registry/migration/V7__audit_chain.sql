-- Audit trail hash chain. Portable between H2 2.x and PostgreSQL 12+.
-- Every entry appended from now on stores the chain hash of the entry before it (prev_hash) and its
-- own chain hash: hex SHA-256 over prev_hash and the entry's canonical content (see
-- dev.dataenc.audit.AuditChain). 'dataenc audit --verify' recomputes the chain.
ALTER TABLE dataenc_audit ADD COLUMN prev_hash VARCHAR(64);
ALTER TABLE dataenc_audit ADD COLUMN chain_hash VARCHAR(64);

-- One row (id = 1): the end of the chain. Appends lock it (SELECT ... FOR UPDATE), so entries from
-- every process form one chain. anchor_seq: entries up to it were written before the chain existed
-- and are not covered; the first chained entry follows the genesis hash, 64 zeros.
CREATE TABLE dataenc_audit_head (
    id          INT         NOT NULL PRIMARY KEY,
    anchor_seq  BIGINT      NOT NULL,
    last_seq    BIGINT      NOT NULL,
    last_hash   VARCHAR(64) NOT NULL,
    CONSTRAINT dataenc_audit_head_singleton CHECK (id = 1)
);

INSERT INTO dataenc_audit_head (id, anchor_seq, last_seq, last_hash)
    SELECT 1, COALESCE(MAX(seq), 0), COALESCE(MAX(seq), 0),
           '0000000000000000000000000000000000000000000000000000000000000000'
    FROM dataenc_audit;
