-- A keystore switch can be cancelled (rolled back) by an admin before its new CDK encrypted anything
-- ('dataenc switch --cancel'): phase CANCELLED ends a job like COMPLETED does (running_marker NULL).
-- Portable between H2 2.x and PostgreSQL 12+.
ALTER TABLE dataenc_switch_job DROP CONSTRAINT dataenc_switch_job_marker;
ALTER TABLE dataenc_switch_job DROP CONSTRAINT dataenc_switch_job_phase;
ALTER TABLE dataenc_switch_job ADD CONSTRAINT dataenc_switch_job_phase
    CHECK (phase IN ('STARTED', 'CDK_ACTIVATED', 'REWRAPPED', 'COMPLETED', 'CANCELLED'));
ALTER TABLE dataenc_switch_job ADD CONSTRAINT dataenc_switch_job_marker
    CHECK ((phase NOT IN ('COMPLETED', 'CANCELLED') AND running_marker = TRUE)
        OR (phase IN ('COMPLETED', 'CANCELLED') AND running_marker IS NULL));
