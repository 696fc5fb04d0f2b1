-- Notifications (issue 5): the in-app list and the transactional outbox of WeChat subscribe messages.
-- Both are written in the same transaction as the ticket transition that causes them.

CREATE TABLE notifications (
  id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id    BIGINT       NOT NULL,
  ticket_id  BIGINT       NULL,
  kind       VARCHAR(32)  NOT NULL,
  title      VARCHAR(100) NOT NULL,
  body       VARCHAR(500) NOT NULL,
  created_at DATETIME(6)  NOT NULL,
  read_at    DATETIME(6)  NULL,
  KEY ix_notifications_user (user_id, id),
  CONSTRAINT fk_notifications_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- status: pending → sent | failed (final WeChat errors, or retries exhausted) | skipped (no template configured).
-- A worker claims due rows with FOR UPDATE SKIP LOCKED and pushes next_attempt_at forward as a lease,
-- so a worker that dies after sending lets the row come due again: delivery is at least once.
CREATE TABLE notification_outbox (
  id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  notification_id BIGINT        NOT NULL,
  user_id         BIGINT        NOT NULL,
  kind            VARCHAR(32)   NOT NULL,
  data_json       VARCHAR(2000) NOT NULL,
  page            VARCHAR(200)  NULL,
  status          VARCHAR(16)   NOT NULL,
  attempts        INT           NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(6)   NOT NULL,
  last_error      VARCHAR(300)  NULL,
  created_at      DATETIME(6)   NOT NULL,
  sent_at         DATETIME(6)   NULL,
  KEY ix_notification_outbox_due (status, next_attempt_at),
  KEY ix_notification_outbox_notification (notification_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
