-- Key check value per CDK: HMAC-SHA256 under the CDK of "dataenc cdk check v1" || CDK id (32 bytes,
-- see docs/FORMAT.md). Written with the CDK when it is generated; every unwrap is verified against it,
-- so a wrapping added to the registry later cannot substitute another key. Not secret.
-- CDKs that exist before this migration keep NULL (legacy): SQL cannot compute the value (it needs the
-- plaintext key), and the data plane must not take it from whatever key it unwraps first (whoever
-- writes the registry could choose that key). An administrator records it (set once, never changed).
-- Portable between H2 2.x and PostgreSQL 12+.
ALTER TABLE dataenc_cdk ADD COLUMN check_value BYTEA;
ALTER TABLE dataenc_cdk ADD CONSTRAINT dataenc_cdk_check_value_length
    CHECK (check_value IS NULL OR OCTET_LENGTH(check_value) = 32);
