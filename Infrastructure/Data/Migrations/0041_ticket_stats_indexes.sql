-- Indexes the ticket figures (issue 7) need on the tickets feature's tables; see briefs/stats-needs.md.
-- Stats read one community's tickets by the day they were received, and first-occurrence times from the timeline.
-- ix_tickets_stats covers every column the figures read, so a community's year is one index range, no row look-ups
-- (1,000,000 tickets: bench/stats). ix_tickets_created serves admins asking across every community.
ALTER TABLE tickets
  ADD KEY ix_tickets_stats (community_id, created_at, status, due_at, resolved_at, satisfaction, reopen_count,
                            grid_id, category_id, department_id, handler_department_id),
  ADD KEY ix_tickets_created (created_at);

-- (ticket_id, action, created_at, actor_id): a ticket's routing, acceptance, claims and resolutions in one covering probe.
-- (actor_id, action, ticket_id): the tickets a party member claimed or resolved.
ALTER TABLE ticket_events
  ADD KEY ix_ticket_events_ticket_action (ticket_id, action, created_at, actor_id),
  ADD KEY ix_ticket_events_actor_action (actor_id, action, ticket_id);
