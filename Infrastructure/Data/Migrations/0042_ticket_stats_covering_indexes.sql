-- 0041's indexes made the bench (bench/stats, 1,000,000 tickets) look up every ticket row and every timeline row
-- of a community's year. These cover the columns the figures read, so the year is one index range on tickets
-- and one covering probe per ticket on ticket_events. id is named in ix_tickets_stats so the range comes out in
-- (community_id, created_at, id) order and the per-ticket GROUP BY needs no sort. See briefs/stats-needs.md.
ALTER TABLE tickets
  DROP KEY ix_tickets_community_created,
  ADD KEY ix_tickets_stats (community_id, created_at, id, status, due_at, resolved_at, satisfaction, reopen_count,
                            grid_id, category_id, department_id, handler_department_id);

ALTER TABLE ticket_events
  DROP KEY ix_ticket_events_ticket_action,
  ADD KEY ix_ticket_events_ticket_action (ticket_id, action, created_at, actor_id);
