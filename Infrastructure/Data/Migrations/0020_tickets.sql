-- Tickets (issue 5): 居民点单、社区派单、部门接单、党员领单.
-- Times are UTC. status holds the TicketState code; version is checked in every transition's UPDATE.

CREATE TABLE ticket_categories (
  id         BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name       VARCHAR(50) NOT NULL,
  sort_order INT         NOT NULL DEFAULT 0,
  is_active  TINYINT(1)  NOT NULL DEFAULT 1,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_ticket_categories_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO ticket_categories (name, sort_order, created_at, updated_at) VALUES
  ('环境卫生', 10, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('设施维修', 20, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('治安隐患', 30, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('消防安全', 40, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('邻里纠纷', 50, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('物业服务', 60, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('出租房管理', 70, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('就业帮扶', 80, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('困难帮扶', 90, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('其他', 100, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));

-- department_id: the department the ticket is dispatched to (cleared when returned or recalled).
-- handler_user_id / handler_department_id: who handles it now; a department's colleagues share its tickets.
-- dispatched_by: the staff member who dispatched or published it, told when the resident urges.
-- house_id has no foreign key yet: houses live in another feature's migrations.
CREATE TABLE tickets (
  id                     BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
  number                 VARCHAR(20)    NOT NULL,
  category_id            BIGINT         NOT NULL,
  community_id           BIGINT         NOT NULL,
  grid_id                BIGINT         NULL,
  house_id               BIGINT         NULL,
  house_code             VARCHAR(64)    NULL,
  address                VARCHAR(200)   NULL,
  latitude               DECIMAL(9,6)   NULL,
  longitude              DECIMAL(9,6)   NULL,
  description            VARCHAR(1000)  NOT NULL,
  channel                VARCHAR(16)    NOT NULL,
  submitter_id           BIGINT         NOT NULL,
  contact_phone_cipher   VARBINARY(255) NULL,
  on_behalf_name         VARCHAR(50)    NULL,
  on_behalf_phone_cipher VARBINARY(255) NULL,
  needs_review           TINYINT(1)     NOT NULL DEFAULT 0,
  status                 VARCHAR(16)    NOT NULL,
  department_id          BIGINT         NULL,
  handler_user_id        BIGINT         NULL,
  handler_department_id  BIGINT         NULL,
  dispatched_by          BIGINT         NULL,
  due_at                 DATETIME(6)    NULL,
  overdue_notified_at    DATETIME(6)    NULL,
  reopen_count           INT            NOT NULL DEFAULT 0,
  last_urged_at          DATETIME(6)    NULL,
  satisfaction           TINYINT        NULL,
  evaluation_comment     VARCHAR(500)   NULL,
  resolved_at            DATETIME(6)    NULL,
  closed_at              DATETIME(6)    NULL,
  version                INT            NOT NULL DEFAULT 0,
  created_at             DATETIME(6)    NOT NULL,
  updated_at             DATETIME(6)    NOT NULL,
  UNIQUE KEY ux_tickets_number (number),
  KEY ix_tickets_community_status (community_id, status, id),
  KEY ix_tickets_community (community_id, id),
  KEY ix_tickets_grid (grid_id, id),
  KEY ix_tickets_submitter (submitter_id, id),
  KEY ix_tickets_department (department_id, id),
  KEY ix_tickets_handler (handler_user_id, id),
  KEY ix_tickets_handler_department (handler_department_id, id),
  KEY ix_tickets_status_due (status, due_at),
  KEY ix_tickets_status_resolved (status, resolved_at),
  CONSTRAINT fk_tickets_category FOREIGN KEY (category_id) REFERENCES ticket_categories (id),
  CONSTRAINT fk_tickets_community FOREIGN KEY (community_id) REFERENCES communities (id),
  CONSTRAINT fk_tickets_grid FOREIGN KEY (grid_id) REFERENCES grids (id),
  CONSTRAINT fk_tickets_submitter FOREIGN KEY (submitter_id) REFERENCES users (id),
  CONSTRAINT fk_tickets_department FOREIGN KEY (department_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The timeline. actor_id is NULL for the system (auto-close, overdue). is_internal notes are never shown to the resident.
CREATE TABLE ticket_events (
  id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ticket_id   BIGINT        NOT NULL,
  actor_id    BIGINT        NULL,
  actor_role  VARCHAR(32)   NOT NULL,
  action      VARCHAR(16)   NOT NULL,
  from_status VARCHAR(16)   NULL,
  to_status   VARCHAR(16)   NOT NULL,
  note        VARCHAR(1000) NULL,
  is_internal TINYINT(1)    NOT NULL DEFAULT 0,
  created_at  DATETIME(6)   NOT NULL,
  KEY ix_ticket_events_ticket (ticket_id, id),
  CONSTRAINT fk_ticket_events_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per China Standard Time day; n is taken with LAST_INSERT_ID(n + 1) so the number is atomic.
CREATE TABLE ticket_number_counters (
  day DATE NOT NULL PRIMARY KEY,
  n   INT  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Idempotency-Key of POST /api/v1/tickets, per user. Inserted first in the ticket's transaction:
-- a concurrent duplicate waits on the key and then finds it taken.
CREATE TABLE ticket_idempotency (
  user_id         BIGINT       NOT NULL,
  idempotency_key VARCHAR(100) NOT NULL,
  ticket_id       BIGINT       NULL,
  created_at      DATETIME(6)  NOT NULL,
  PRIMARY KEY (user_id, idempotency_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Uploaded photos. stored_name is chosen by the server; ticket_id is set when a ticket or a
-- timeline event (event_id) takes the photo. Unattached uploads older than a day are deleted.
CREATE TABLE uploads (
  id           BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  uploader_id  BIGINT      NOT NULL,
  stored_name  VARCHAR(64) NOT NULL,
  content_type VARCHAR(32) NOT NULL,
  size_bytes   INT         NOT NULL,
  ticket_id    BIGINT      NULL,
  event_id     BIGINT      NULL,
  created_at   DATETIME(6) NOT NULL,
  attached_at  DATETIME(6) NULL,
  UNIQUE KEY ux_uploads_stored_name (stored_name),
  KEY ix_uploads_ticket (ticket_id, id),
  KEY ix_uploads_unattached (ticket_id, created_at),
  KEY ix_uploads_uploader (uploader_id, id),
  CONSTRAINT fk_uploads_uploader FOREIGN KEY (uploader_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
