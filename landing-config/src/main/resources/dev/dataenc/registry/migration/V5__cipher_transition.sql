-- Cipher transitions: the guarded, phased move away from an old cipher (keystore) whose data must be
-- re-encrypted, not only re-wrapped. Portable between H2 2.x and PostgreSQL 12+.
-- open_marker is TRUE until the transition reaches OLD_REFUSED: one open transition at a time.
CREATE TABLE dataenc_cipher_transition (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    old_keystore  VARCHAR(200) NOT NULL,
    new_keystore  VARCHAR(200) NOT NULL,
    phase         VARCHAR(32)  NOT NULL,
    open_marker   BOOLEAN,
    started_by    VARCHAR(200) NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    row_version   BIGINT       NOT NULL,
    CONSTRAINT dataenc_cipher_transition_phase
        CHECK (phase IN ('STARTED', 'NEW_DECRYPTS', 'NEW_ENCRYPTS', 'MIGRATED', 'OLD_REFUSED')),
    CONSTRAINT dataenc_cipher_transition_marker CHECK ((phase <> 'OLD_REFUSED' AND open_marker = TRUE)
                                                    OR (phase = 'OLD_REFUSED' AND open_marker IS NULL)),
    CONSTRAINT dataenc_cipher_transition_one_open UNIQUE (open_marker)
);
