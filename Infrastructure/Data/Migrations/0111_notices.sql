-- Notices (公告, issue 15): what community staff and street leaders publish to a community, some of its grids or some
-- of its buildings — notices, policies, results (一征三议两公开, 党务公开), the residents' convention (居民公约),
-- emergencies. audience_json echoes the audience as published; body holds at most 5000 characters.
CREATE TABLE notices (
  id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  community_id  BIGINT        NOT NULL,
  kind          VARCHAR(16)   NOT NULL,
  title         VARCHAR(100)  NOT NULL,
  body          TEXT          NOT NULL,
  audience_json VARCHAR(8000) NOT NULL,
  pinned_until  DATETIME(6)   NULL,
  needs_review  TINYINT(1)    NOT NULL DEFAULT 0,
  published_by  BIGINT        NOT NULL,
  created_at    DATETIME(6)   NOT NULL,
  KEY ix_notices_community (community_id, id),
  CONSTRAINT fk_notices_community FOREIGN KEY (community_id) REFERENCES communities (id),
  CONSTRAINT fk_notices_published_by FOREIGN KEY (published_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The audience, fixed when the notice is published: every resident whose home (resident_homes) was in it then, with
-- the grid they lived in (receipts per grid). household_key counts acknowledgements per household: 'f:<household id>'
-- for a home that came from a registered household, 'h:<house id>' for a known house, 'u:<user id>' for a resident who
-- named only a community and grid.
CREATE TABLE notice_recipients (
  notice_id       BIGINT      NOT NULL,
  user_id         BIGINT      NOT NULL,
  grid_id         BIGINT      NOT NULL,
  household_key   VARCHAR(24) NOT NULL,
  read_at         DATETIME(6) NULL,
  acknowledged_at DATETIME(6) NULL,
  PRIMARY KEY (notice_id, user_id),
  KEY ix_notice_recipients_user (user_id, notice_id),
  CONSTRAINT fk_notice_recipients_notice FOREIGN KEY (notice_id) REFERENCES notices (id),
  CONSTRAINT fk_notice_recipients_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A building audience finds its houses by name within the community.
ALTER TABLE houses ADD KEY ix_houses_building (community_id, street, building);

-- A notice's notifications: one per recipient, which the unique key holds to.
ALTER TABLE notifications
  ADD COLUMN notice_id BIGINT NULL AFTER ticket_id,
  ADD UNIQUE KEY ux_notifications_notice_user (notice_id, user_id);

-- Photos of a notice; an upload attached to one is no orphan.
ALTER TABLE uploads
  ADD COLUMN notice_id BIGINT NULL,
  ADD KEY ix_uploads_notice (notice_id, id);
