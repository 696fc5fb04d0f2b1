-- Escalation (issue 13): an overdue ticket climbs one level per configured step (Tickets:Escalation, hours past due);
-- escalation_level counts the steps taken. A summons not answered by report_by escalates once (escalated_at).

ALTER TABLE tickets
  ADD COLUMN escalation_level TINYINT NOT NULL DEFAULT 0 AFTER overdue_notified_at,
  ADD KEY ix_tickets_escalation (escalation_level, status);

ALTER TABLE ticket_summonses
  ADD COLUMN escalated_at DATETIME(6) NULL AFTER note,
  ADD KEY ix_ticket_summonses_report_by (status, report_by);
