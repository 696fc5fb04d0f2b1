-- The street office as a level (issue 13): every community belongs to one, and a street_leader role is scoped
-- to one. Today's free-text communities.street_office becomes a row per distinct name, keeping the data.

CREATE TABLE street_offices (
  id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name       VARCHAR(100) NOT NULL,
  area       VARCHAR(200) NULL,
  is_active  TINYINT(1)   NOT NULL DEFAULT 1,
  created_at DATETIME(6)  NOT NULL,
  updated_at DATETIME(6)  NOT NULL,
  UNIQUE KEY ux_street_offices_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO street_offices (name, is_active, created_at, updated_at)
SELECT DISTINCT TRIM(street_office), 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) FROM communities;

ALTER TABLE communities ADD COLUMN street_office_id BIGINT NULL AFTER name;

UPDATE communities c JOIN street_offices s ON s.name = TRIM(c.street_office) SET c.street_office_id = s.id;

ALTER TABLE communities
  MODIFY street_office_id BIGINT NOT NULL,
  ADD KEY ix_communities_street_office (street_office_id),
  ADD CONSTRAINT fk_communities_street_office FOREIGN KEY (street_office_id) REFERENCES street_offices (id),
  DROP COLUMN street_office;

-- street_leader rows carry street_office_id; the active key now tells street offices apart too.
ALTER TABLE user_roles
  ADD COLUMN street_office_id BIGINT NULL AFTER department_id,
  ADD KEY ix_user_roles_street_office (street_office_id, role, revoked_at),
  ADD CONSTRAINT fk_user_roles_street_office FOREIGN KEY (street_office_id) REFERENCES street_offices (id);

ALTER TABLE user_roles DROP INDEX ux_user_roles_active, DROP COLUMN active_key;

ALTER TABLE user_roles
  ADD COLUMN active_key VARCHAR(140) AS (IF(revoked_at IS NULL,
    CONCAT_WS(':', user_id, role, IFNULL(community_id, 0), IFNULL(grid_id, 0), IFNULL(department_id, 0), IFNULL(street_office_id, 0)),
    NULL)) STORED,
  ADD UNIQUE KEY ux_user_roles_active (active_key);

ALTER TABLE invitations
  ADD COLUMN street_office_id BIGINT NULL AFTER department_id,
  ADD CONSTRAINT fk_invitations_street_office FOREIGN KEY (street_office_id) REFERENCES street_offices (id);
