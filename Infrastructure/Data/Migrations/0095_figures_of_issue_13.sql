-- The figures of issue 13. Escalation levels and return visits are read from ix_tickets_stats like every other fact
-- of a ticket (covering: no row look-ups); department staff read their department's tickets by the time received;
-- the 吹哨报到 figures read summonses by the time they were issued, all of them or one department's.
ALTER TABLE tickets
  DROP KEY ix_tickets_stats,
  ADD KEY ix_tickets_stats (community_id, created_at, id, status, due_at, resolved_at, satisfaction, reopen_count,
                            grid_id, category_id, department_id, handler_department_id,
                            escalation_level, return_visits, satisfied_after_visit),
  ADD KEY ix_tickets_department_created (department_id, created_at);

ALTER TABLE ticket_summonses
  ADD KEY ix_ticket_summonses_created (created_at),
  ADD KEY ix_ticket_summonses_department_created (department_id, created_at);
