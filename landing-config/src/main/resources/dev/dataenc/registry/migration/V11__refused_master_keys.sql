-- Master keys that a finished cipher transition refused, by identity (the keystore's master key id:
-- a local key's fingerprint id, a KMS key ARN, a custom cipher's key id), so that a keystore renamed
-- or re-configured over the same master key is refused too. Portable between H2 2.x and PostgreSQL 12+.
CREATE TABLE dataenc_refused_master_key (
    master_key_id  VARCHAR(1000) NOT NULL PRIMARY KEY,
    keystore       VARCHAR(200)  NOT NULL,
    transition_id  VARCHAR(36)   NOT NULL,
    refused_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
