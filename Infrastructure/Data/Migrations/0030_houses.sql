-- Rental houses and their QR codes (一房一码), tenants registered against them (以房管人),
-- and the audit log of full reads of personal data.
-- Personal numbers are stored only as FieldProtector envelopes (*_cipher) and HMAC hashes (*_hash).

-- landlord_id is NULL while the landlord is known only by phone: pending_landlord_phone_* holds
-- that phone until a user who bound the same phone signs in (see PendingLandlords).
CREATE TABLE houses (
  id                           BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code                         VARCHAR(10)    NOT NULL,
  community_id                 BIGINT         NOT NULL,
  grid_id                      BIGINT         NOT NULL,
  street                       VARCHAR(100)   NOT NULL,
  building                     VARCHAR(50)    NOT NULL,
  unit                         VARCHAR(50)    NULL,
  door                         VARCHAR(50)    NOT NULL,
  landlord_id                  BIGINT         NULL,
  pending_landlord_phone_cipher VARBINARY(255) NULL,
  pending_landlord_phone_hash  BINARY(32)     NULL,
  rooms                        INT            NOT NULL,
  house_use                    VARCHAR(16)    NOT NULL,
  created_by                   BIGINT         NOT NULL,
  created_at                   DATETIME(6)    NOT NULL,
  updated_at                   DATETIME(6)    NOT NULL,
  UNIQUE KEY ux_houses_code (code),
  KEY ix_houses_community (community_id, id),
  KEY ix_houses_grid (grid_id, id),
  KEY ix_houses_landlord (landlord_id, id),
  KEY ix_houses_pending_landlord (pending_landlord_phone_hash),
  CONSTRAINT fk_houses_community FOREIGN KEY (community_id) REFERENCES communities (id),
  CONSTRAINT fk_houses_grid FOREIGN KEY (grid_id) REFERENCES grids (id),
  CONSTRAINT fk_houses_landlord FOREIGN KEY (landlord_id) REFERENCES users (id),
  CONSTRAINT fk_houses_created_by FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- WeChat's mini-program code for a house, fetched once (getwxacodeunlimit is rate limited).
CREATE TABLE house_qr_images (
  house_id   BIGINT       NOT NULL PRIMARY KEY,
  page       VARCHAR(128) NOT NULL,
  png        MEDIUMBLOB   NOT NULL,
  created_at DATETIME(6)  NOT NULL,
  CONSTRAINT fk_house_qr_images_house FOREIGN KEY (house_id) REFERENCES houses (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- status: pending (self-registered, awaiting the landlord), active, declined, moved_out.
-- open_key is set while the tenancy is open (pending or active): one open tenancy per person and house.
CREATE TABLE tenancies (
  id               BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
  house_id         BIGINT         NOT NULL,
  tenant_name      VARCHAR(64)    NOT NULL,
  document_type    VARCHAR(32)    NOT NULL,
  document_cipher  VARBINARY(255) NOT NULL,
  document_hash    BINARY(32)     NOT NULL,
  phone_cipher     VARBINARY(255) NOT NULL,
  phone_hash       BINARY(32)     NOT NULL,
  room             VARCHAR(32)    NOT NULL,
  move_in_date     DATE           NOT NULL,
  move_out_date    DATE           NULL,
  tenant_user_id   BIGINT         NULL,
  status           VARCHAR(16)    NOT NULL,
  registered_by    BIGINT         NOT NULL,
  decided_by       BIGINT         NULL,
  decided_at       DATETIME(6)    NULL,
  created_at       DATETIME(6)    NOT NULL,
  updated_at       DATETIME(6)    NOT NULL,
  open_key         VARCHAR(90)    AS (IF(status IN ('pending', 'active'),
                     CONCAT(house_id, ':', document_type, ':', HEX(document_hash)), NULL)) STORED,
  UNIQUE KEY ux_tenancies_open (open_key),
  KEY ix_tenancies_house (house_id, status, id),
  KEY ix_tenancies_document (document_hash, move_in_date),
  KEY ix_tenancies_tenant_user (tenant_user_id),
  CONSTRAINT fk_tenancies_house FOREIGN KEY (house_id) REFERENCES houses (id),
  CONSTRAINT fk_tenancies_tenant_user FOREIGN KEY (tenant_user_id) REFERENCES users (id),
  CONSTRAINT fk_tenancies_registered_by FOREIGN KEY (registered_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who read which record's personal data in full, when and why. Rows are only ever inserted.
CREATE TABLE audit_log (
  id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  actor_id     BIGINT       NOT NULL,
  action       VARCHAR(64)  NOT NULL,
  subject_type VARCHAR(32)  NOT NULL,
  subject_id   BIGINT       NOT NULL,
  reason       VARCHAR(500) NOT NULL,
  at           DATETIME(6)  NOT NULL,
  KEY ix_audit_log_subject (subject_type, subject_id, id),
  KEY ix_audit_log_actor (actor_id, id),
  CONSTRAINT fk_audit_log_actor FOREIGN KEY (actor_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
