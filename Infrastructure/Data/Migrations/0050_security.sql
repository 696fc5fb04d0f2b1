-- Issue 12 (security and abuse).
-- 以人找房 look-ups are audited in audit_log like full reads: subject_type 'tenancy' with no single tenancy
-- (subject_id NULL) and the keyed hash of the number looked up (never the number itself).
ALTER TABLE audit_log
  MODIFY subject_id BIGINT NULL,
  ADD COLUMN lookup_hash BINARY(32) NULL AFTER subject_id,
  ADD KEY ix_audit_log_actor_action (actor_id, action, at);

-- The per-user upload quota sums a user's uploads of the last 24 hours.
ALTER TABLE uploads ADD KEY ix_uploads_uploader_created (uploader_id, created_at);

-- A session (refresh-token family) ends SessionMaxDays after sign-in however often it rotates: each token carries
-- when its family started. Existing families started with their first token.
ALTER TABLE refresh_tokens ADD COLUMN family_started_at DATETIME(6) NULL AFTER expires_at;
UPDATE refresh_tokens t
  JOIN (SELECT family_id, MIN(created_at) AS started FROM refresh_tokens GROUP BY family_id) f ON f.family_id = t.family_id
  SET t.family_started_at = f.started;
ALTER TABLE refresh_tokens MODIFY family_started_at DATETIME(6) NOT NULL;

-- Retention (PIPL): a tenancy that ended more than Tenancies:RetentionDays ago loses its identity number and phone,
-- ciphers and look-up hashes alike (TenancyRetentionWorker); erased_at says when.
ALTER TABLE tenancies
  MODIFY document_cipher VARBINARY(255) NULL,
  MODIFY document_hash   BINARY(32)     NULL,
  MODIFY phone_cipher    VARBINARY(255) NULL,
  MODIFY phone_hash      BINARY(32)     NULL,
  ADD COLUMN erased_at   DATETIME(6)    NULL AFTER updated_at,
  ADD KEY ix_tenancies_retention (erased_at, status, move_out_date);
