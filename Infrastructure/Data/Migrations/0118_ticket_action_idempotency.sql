-- A ticket action sent again after its answer was lost. Without a key a transition cannot land twice (the version
-- check refuses the second with 409), but a progress report or a note would be written twice, and a phone whose
-- evaluation did land would be told it conflicts. With the Idempotency-Key the retry answers 200 with the ticket.
-- The action is kept so that a key used again for another action is refused rather than taken for a retry.
CREATE TABLE ticket_action_idempotency (
  user_id         BIGINT       NOT NULL,
  idempotency_key VARCHAR(100) NOT NULL,
  ticket_id       BIGINT       NOT NULL,
  action          VARCHAR(32)  NOT NULL,
  created_at      DATETIME(6)  NOT NULL,
  PRIMARY KEY (user_id, idempotency_key),
  CONSTRAINT fk_ticket_action_idempotency_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
