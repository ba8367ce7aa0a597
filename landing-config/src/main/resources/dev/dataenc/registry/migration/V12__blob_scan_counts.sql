-- BLOB migration (issue 12): of the values per CDK a migration found when planned (prescan) and after its last
-- batch (refs), how many were BLOB-format ciphertexts. A source whose scan found BLOBs under a CDK is a BLOB source
-- of that CDK: its later completed scans count as evidence that the CDK's BLOBs are gone.
ALTER TABLE dataenc_migration_prescan ADD COLUMN blob_count BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE dataenc_migration_refs ADD COLUMN blob_count BIGINT DEFAULT 0 NOT NULL;
