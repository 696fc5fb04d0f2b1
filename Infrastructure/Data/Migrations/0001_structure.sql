-- The structure every role is scoped to: a street office's communities, their grids,
-- the departments that serve them all, users and their scoped roles.
-- Times are UTC. Nothing that tickets or houses reference is ever deleted: is_active = 0 instead.

CREATE TABLE communities (
  id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name          VARCHAR(100) NOT NULL,
  street_office VARCHAR(100) NOT NULL,
  address       VARCHAR(200) NULL,
  is_active     TINYINT(1)   NOT NULL DEFAULT 1,
  created_at    DATETIME(6)  NOT NULL,
  updated_at    DATETIME(6)  NOT NULL,
  UNIQUE KEY ux_communities_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE grids (
  id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  community_id BIGINT       NOT NULL,
  name         VARCHAR(100) NOT NULL,
  households   INT          NULL,
  is_active    TINYINT(1)   NOT NULL DEFAULT 1,
  created_at   DATETIME(6)  NOT NULL,
  updated_at   DATETIME(6)  NOT NULL,
  UNIQUE KEY ux_grids_community_name (community_id, name),
  CONSTRAINT fk_grids_community FOREIGN KEY (community_id) REFERENCES communities (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE departments (
  id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name       VARCHAR(100) NOT NULL,
  kind       VARCHAR(32)  NOT NULL,
  phone      VARCHAR(32)  NULL,
  is_active  TINYINT(1)   NOT NULL DEFAULT 1,
  created_at DATETIME(6)  NOT NULL,
  updated_at DATETIME(6)  NOT NULL,
  UNIQUE KEY ux_departments_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- phone_cipher holds the AES-GCM envelope (FieldProtector), phone_hash its HMAC for exact look-ups.
CREATE TABLE users (
  id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  openid        VARCHAR(64)   NOT NULL,
  nickname      VARCHAR(64)   NULL,
  avatar_url    VARCHAR(512)  NULL,
  phone_cipher  VARBINARY(255) NULL,
  phone_hash    BINARY(32)    NULL,
  is_blocked    TINYINT(1)    NOT NULL DEFAULT 0,
  created_at    DATETIME(6)   NOT NULL,
  updated_at    DATETIME(6)   NOT NULL,
  last_login_at DATETIME(6)   NULL,
  UNIQUE KEY ux_users_openid (openid),
  KEY ix_users_phone_hash (phone_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per role and scope: grid_worker has community_id and grid_id, community_staff and
-- party_member community_id, department_staff department_id, admin and landlord neither.
-- A role is revoked by setting revoked_at; active_key makes an active duplicate impossible.
CREATE TABLE user_roles (
  id            BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id       BIGINT      NOT NULL,
  role          VARCHAR(32) NOT NULL,
  community_id  BIGINT      NULL,
  grid_id       BIGINT      NULL,
  department_id BIGINT      NULL,
  granted_by    BIGINT      NULL,
  granted_at    DATETIME(6) NOT NULL,
  revoked_at    DATETIME(6) NULL,
  revoked_by    BIGINT      NULL,
  active_key    VARCHAR(120) AS (IF(revoked_at IS NULL,
                  CONCAT_WS(':', user_id, role, IFNULL(community_id, 0), IFNULL(grid_id, 0), IFNULL(department_id, 0)),
                  NULL)) STORED,
  UNIQUE KEY ux_user_roles_active (active_key),
  KEY ix_user_roles_user (user_id, revoked_at),
  KEY ix_user_roles_community (community_id, role, revoked_at),
  KEY ix_user_roles_grid (grid_id, role, revoked_at),
  KEY ix_user_roles_department (department_id, role, revoked_at),
  CONSTRAINT fk_user_roles_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_user_roles_community FOREIGN KEY (community_id) REFERENCES communities (id),
  CONSTRAINT fk_user_roles_grid FOREIGN KEY (grid_id) REFERENCES grids (id),
  CONSTRAINT fk_user_roles_department FOREIGN KEY (department_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
