-- Party members who report in to the community they live in (双报到, 流动党员报到).
-- phone_cipher holds the FieldProtector envelope, phone_hash its HMAC for exact look-ups.
-- open_key allows one pending or confirmed report-in per user and community; declined ones stay as history.
CREATE TABLE party_members (
  id             BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id        BIGINT         NOT NULL,
  community_id   BIGINT         NOT NULL,
  grid_id        BIGINT         NULL,
  name           VARCHAR(32)    NOT NULL,
  organisation   VARCHAR(100)   NOT NULL,
  is_floating    TINYINT(1)     NOT NULL,
  phone_cipher   VARBINARY(255) NOT NULL,
  phone_hash     BINARY(32)     NOT NULL,
  show_badge     TINYINT(1)     NOT NULL DEFAULT 0,
  status         VARCHAR(16)    NOT NULL,
  decline_reason VARCHAR(500)   NULL,
  reviewed_by    BIGINT         NULL,
  reviewed_at    DATETIME(6)    NULL,
  created_at     DATETIME(6)    NOT NULL,
  updated_at     DATETIME(6)    NOT NULL,
  open_key       VARCHAR(60)    AS (IF(status IN ('pending', 'confirmed'), CONCAT(user_id, ':', community_id), NULL)) STORED,
  UNIQUE KEY ux_party_members_open (open_key),
  KEY ix_party_members_community (community_id, status, id),
  KEY ix_party_members_user (user_id, status),
  KEY ix_party_members_grid (grid_id, status),
  KEY ix_party_members_phone_hash (phone_hash),
  CONSTRAINT fk_party_members_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_party_members_community FOREIGN KEY (community_id) REFERENCES communities (id),
  CONSTRAINT fk_party_members_grid FOREIGN KEY (grid_id) REFERENCES grids (id),
  CONSTRAINT fk_party_members_reviewed_by FOREIGN KEY (reviewed_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per skill offered, so staff can filter by skill through an index.
CREATE TABLE party_member_skills (
  party_member_id BIGINT      NOT NULL,
  skill           VARCHAR(32) NOT NULL,
  PRIMARY KEY (party_member_id, skill),
  KEY ix_party_member_skills_skill (skill, party_member_id),
  CONSTRAINT fk_party_member_skills_member FOREIGN KEY (party_member_id) REFERENCES party_members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
