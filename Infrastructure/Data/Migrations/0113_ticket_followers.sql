-- "Me too" and merging duplicates (issue 15).
-- ticket_followers: people who follow a ticket instead of filing a copy; they are told of it as its reporter is.
-- tickets.followers counts them, kept in step in the same transaction, so the dispatch queue can put the tickets
-- many people wait for first (ix_tickets_dispatch_queue). tickets.merged_into_id: the original a duplicate was merged into.
CREATE TABLE ticket_followers (
  ticket_id  BIGINT      NOT NULL,
  user_id    BIGINT      NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (ticket_id, user_id),
  KEY ix_ticket_followers_user (user_id, ticket_id),
  CONSTRAINT fk_ticket_followers_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id),
  CONSTRAINT fk_ticket_followers_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE tickets
  ADD COLUMN followers INT NOT NULL DEFAULT 0 AFTER reopen_count,
  ADD COLUMN merged_into_id BIGINT NULL AFTER followers,
  ADD KEY ix_tickets_dispatch_queue (community_id, status, followers, id),
  ADD CONSTRAINT fk_tickets_merged_into FOREIGN KEY (merged_into_id) REFERENCES tickets (id);
