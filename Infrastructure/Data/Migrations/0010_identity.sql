-- Identity: WeChat's shared access token, simulated WeChat messages, refresh tokens, staff invitations.

-- One row per WeChat app. token_cipher is the FieldProtector envelope of the access token;
-- instances refresh it under this row's lock (SELECT ... FOR UPDATE), so only one asks WeChat.
CREATE TABLE wechat_access_tokens (
  app_id       VARCHAR(64)     NOT NULL PRIMARY KEY,
  token_cipher VARBINARY(1024) NULL,
  expires_at   DATETIME(6)     NOT NULL,
  refreshed_at DATETIME(6)     NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Subscribe messages that Simulated mode records instead of sending (./run and tests read them).
CREATE TABLE wechat_simulated_messages (
  id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  to_openid   VARCHAR(64)  NOT NULL,
  template_id VARCHAR(128) NOT NULL,
  page        VARCHAR(256) NULL,
  data_json   TEXT         NOT NULL,
  sent_at     DATETIME(6)  NOT NULL,
  KEY ix_wechat_simulated_messages_to (to_openid, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Refresh tokens are stored as SHA-256 of the random token. Each use marks the row used and adds
-- a new one to the same family; presenting a used token again revokes the whole family.
CREATE TABLE refresh_tokens (
  id          BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id     BIGINT      NOT NULL,
  family_id   CHAR(32)    NOT NULL,
  token_hash  BINARY(32)  NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  expires_at  DATETIME(6) NOT NULL,
  used_at     DATETIME(6) NULL,
  revoked_at  DATETIME(6) NULL,
  UNIQUE KEY ux_refresh_tokens_hash (token_hash),
  KEY ix_refresh_tokens_family (family_id),
  KEY ix_refresh_tokens_user (user_id, revoked_at),
  CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A single-use code for one role and scope. Redeeming sets redeemed_by/redeemed_at in one
-- conditional UPDATE, so parallel redemptions cannot both succeed.
CREATE TABLE invitations (
  id            BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code          VARCHAR(32) NOT NULL,
  role          VARCHAR(32) NOT NULL,
  community_id  BIGINT      NULL,
  grid_id       BIGINT      NULL,
  department_id BIGINT      NULL,
  created_by    BIGINT      NOT NULL,
  created_at    DATETIME(6) NOT NULL,
  expires_at    DATETIME(6) NOT NULL,
  redeemed_by   BIGINT      NULL,
  redeemed_at   DATETIME(6) NULL,
  UNIQUE KEY ux_invitations_code (code),
  KEY ix_invitations_community (community_id, created_at),
  CONSTRAINT fk_invitations_created_by FOREIGN KEY (created_by) REFERENCES users (id),
  CONSTRAINT fk_invitations_redeemed_by FOREIGN KEY (redeemed_by) REFERENCES users (id),
  CONSTRAINT fk_invitations_community FOREIGN KEY (community_id) REFERENCES communities (id),
  CONSTRAINT fk_invitations_grid FOREIGN KEY (grid_id) REFERENCES grids (id),
  CONSTRAINT fk_invitations_department FOREIGN KEY (department_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
