-- Indexes the ticket figures (issue 7) need on the tickets feature's tables; see briefs/stats-needs.md.
-- Stats read one community's tickets by the day they were received, and first-occurrence times from the timeline.
ALTER TABLE tickets
  ADD KEY ix_tickets_community_created (community_id, created_at),
  ADD KEY ix_tickets_created (created_at);

-- (ticket_id, action, created_at): MIN(created_at) of an action per ticket is one index probe.
-- (actor_id, action, ticket_id): the tickets a party member claimed or resolved.
ALTER TABLE ticket_events
  ADD KEY ix_ticket_events_ticket_action (ticket_id, action, created_at),
  ADD KEY ix_ticket_events_actor_action (actor_id, action, ticket_id);
