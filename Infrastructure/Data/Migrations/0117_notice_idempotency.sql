-- Staff publish notices from the mini-program too: a publication whose answer was lost is sent again, and without a
-- key the whole audience would be told twice. The Idempotency-Key names the notice the first request published, so the
-- retry answers that notice. Keys belong to their user, as for reports and visits.
CREATE TABLE notice_idempotency (
  user_id         BIGINT       NOT NULL,
  idempotency_key VARCHAR(100) NOT NULL,
  notice_id       BIGINT       NOT NULL,
  created_at      DATETIME(6)  NOT NULL,
  PRIMARY KEY (user_id, idempotency_key),
  CONSTRAINT fk_notice_idempotency_notice FOREIGN KEY (notice_id) REFERENCES notices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
