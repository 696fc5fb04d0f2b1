-- 吹哨报到 (issue 13): community staff or a street leader summon several departments to one ticket. The lead
-- department is also the ticket's department (it accepts, progresses and resolves); each summoned department answers
-- its summons once: reported (报到, the time recorded) or declined. status: summoned, reported, declined.

CREATE TABLE ticket_summonses (
  id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ticket_id     BIGINT        NOT NULL,
  department_id BIGINT        NOT NULL,
  is_lead       TINYINT(1)    NOT NULL,
  status        VARCHAR(16)   NOT NULL,
  report_by     DATETIME(6)   NULL,
  summoned_by   BIGINT        NOT NULL,
  answered_by   BIGINT        NULL,
  answered_at   DATETIME(6)   NULL,
  note          VARCHAR(1000) NULL,
  created_at    DATETIME(6)   NOT NULL,
  UNIQUE KEY ux_ticket_summonses_ticket_department (ticket_id, department_id),
  KEY ix_ticket_summonses_department (department_id, status),
  CONSTRAINT fk_ticket_summonses_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id),
  CONSTRAINT fk_ticket_summonses_department FOREIGN KEY (department_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
