-- Grid work: households (户) and their members, contact assignments (4113) and visit logs (民情日志).
-- ID numbers, phones and tags are personal data: stored only as FieldProtector envelopes (*_cipher) and keyed
-- HMAC hashes (*_hash) for exact look-ups. Times are UTC; starts_on and the *_due columns are China dates.

-- owner_user_id: the resident who registered the household by scanning and keeps it current (NULL when staff
-- registered it). One household per resident and house: ux_households_owner.
CREATE TABLE households (
  id            BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  house_id      BIGINT      NOT NULL,
  occupancy     VARCHAR(16) NOT NULL,
  status        VARCHAR(16) NOT NULL,
  owner_user_id BIGINT      NULL,
  registered_by BIGINT      NOT NULL,
  confirmed_by  BIGINT      NULL,
  confirmed_at  DATETIME(6) NULL,
  version       INT         NOT NULL DEFAULT 0,
  created_at    DATETIME(6) NOT NULL,
  updated_at    DATETIME(6) NOT NULL,
  UNIQUE KEY ux_households_owner (house_id, owner_user_id),
  KEY ix_households_owner_user (owner_user_id),
  CONSTRAINT fk_households_house FOREIGN KEY (house_id) REFERENCES houses (id),
  CONSTRAINT fk_households_owner FOREIGN KEY (owner_user_id) REFERENCES users (id),
  CONSTRAINT fk_households_registered_by FOREIGN KEY (registered_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- tags_cipher: the member's tags (HouseholdTags.Pack) encrypted. Members are replaced as a whole on update.
CREATE TABLE household_members (
  id           BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
  household_id BIGINT         NOT NULL,
  position     INT            NOT NULL,
  name         VARCHAR(64)    NOT NULL,
  relation     VARCHAR(16)    NOT NULL,
  id_cipher    VARBINARY(255) NULL,
  id_hash      BINARY(32)     NULL,
  phone_cipher VARBINARY(255) NULL,
  phone_hash   BINARY(32)     NULL,
  tags_cipher  VARBINARY(255) NOT NULL,
  UNIQUE KEY ux_household_members_position (household_id, position),
  KEY ix_household_members_id_hash (id_hash),
  CONSTRAINT fk_household_members_household FOREIGN KEY (household_id) REFERENCES households (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which tags a household's members carry, as keyed hashes only (HouseholdTags.LookupKey): the list by tag.
CREATE TABLE household_tags (
  household_id BIGINT     NOT NULL,
  tag_hash     BINARY(32) NOT NULL,
  PRIMARY KEY (household_id, tag_hash),
  KEY ix_household_tags_tag (tag_hash, household_id),
  CONSTRAINT fk_household_tags_household FOREIGN KEY (household_id) REFERENCES households (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A household assigned to a person (community staff, grid worker or party member) with a rhythm.
-- ended_at closes it; active_key keeps one open assignment per household and person.
-- notified_due / escalated_due: the due date the person / their community staff were last told about.
CREATE TABLE contact_assignments (
  id            BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  household_id  BIGINT      NOT NULL,
  user_id       BIGINT      NOT NULL,
  role          VARCHAR(32) NOT NULL,
  rhythm        VARCHAR(16) NOT NULL,
  starts_on     DATE        NOT NULL,
  assigned_by   BIGINT      NOT NULL,
  assigned_at   DATETIME(6) NOT NULL,
  ended_at      DATETIME(6) NULL,
  notified_due  DATE        NULL,
  escalated_due DATE        NULL,
  active_key    VARCHAR(64) AS (IF(ended_at IS NULL, CONCAT(household_id, ':', user_id), NULL)) STORED,
  UNIQUE KEY ux_contact_assignments_active (active_key),
  KEY ix_contact_assignments_user (user_id, ended_at),
  KEY ix_contact_assignments_household (household_id, ended_at),
  KEY ix_contact_assignments_open (ended_at, id),
  CONSTRAINT fk_contact_assignments_household FOREIGN KEY (household_id) REFERENCES households (id),
  CONSTRAINT fk_contact_assignments_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_contact_assignments_assigned_by FOREIGN KEY (assigned_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One entry of the field log: a visit, call or meeting with a household (or at a house). community_id and
-- grid_id are the house's, copied so the list and the figures scope without a join.
CREATE TABLE visits (
  id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  household_id BIGINT        NULL,
  house_id     BIGINT        NOT NULL,
  community_id BIGINT        NOT NULL,
  grid_id      BIGINT        NOT NULL,
  visitor_id   BIGINT        NOT NULL,
  kind         VARCHAR(16)   NOT NULL,
  note         VARCHAR(1000) NOT NULL,
  latitude     DECIMAL(9,6)  NULL,
  longitude    DECIMAL(9,6)  NULL,
  visited_at   DATETIME(6)   NOT NULL,
  created_at   DATETIME(6)   NOT NULL,
  KEY ix_visits_visitor (visitor_id, id),
  KEY ix_visits_community (community_id, id),
  KEY ix_visits_grid (grid_id, id),
  KEY ix_visits_household (household_id, visitor_id, visited_at),
  KEY ix_visits_community_time (community_id, visited_at),
  CONSTRAINT fk_visits_household FOREIGN KEY (household_id) REFERENCES households (id),
  CONSTRAINT fk_visits_house FOREIGN KEY (house_id) REFERENCES houses (id),
  CONSTRAINT fk_visits_community FOREIGN KEY (community_id) REFERENCES communities (id),
  CONSTRAINT fk_visits_grid FOREIGN KEY (grid_id) REFERENCES grids (id),
  CONSTRAINT fk_visits_visitor FOREIGN KEY (visitor_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The patrol tickets a visit's issues became, in the order the issues were written.
CREATE TABLE visit_tickets (
  visit_id  BIGINT NOT NULL,
  position  INT    NOT NULL,
  ticket_id BIGINT NOT NULL,
  PRIMARY KEY (visit_id, position),
  UNIQUE KEY ux_visit_tickets_ticket (ticket_id),
  CONSTRAINT fk_visit_tickets_visit FOREIGN KEY (visit_id) REFERENCES visits (id),
  CONSTRAINT fk_visit_tickets_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A visit's photos are the visitor's own uploads; the clean-up keeps uploads a visit took.
ALTER TABLE uploads ADD COLUMN visit_id BIGINT NULL, ADD KEY ix_uploads_visit (visit_id, id);
