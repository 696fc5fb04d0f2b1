-- A grid worker logs a visit from a phone in a stairwell: when the answer is lost, the phone sends the same request
-- again. Its Idempotency-Key names the visit the first request logged, so the retry answers that visit instead of
-- logging it, and filing its issues as patrol tickets, a second time. Keys belong to their user, as for reports.
CREATE TABLE visit_idempotency (
  user_id         BIGINT       NOT NULL,
  idempotency_key VARCHAR(100) NOT NULL,
  visit_id        BIGINT       NOT NULL,
  created_at      DATETIME(6)  NOT NULL,
  PRIMARY KEY (user_id, idempotency_key),
  CONSTRAINT fk_visit_idempotency_visit FOREIGN KEY (visit_id) REFERENCES visits (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
