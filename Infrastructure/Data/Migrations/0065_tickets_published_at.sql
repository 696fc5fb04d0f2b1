-- When a ticket was first published for the community's party members to claim (issue 12, item 7): a member of that
-- community who lost the race for it hears 409 with its state; for a ticket never published to them, claim answers
-- 404 like any ticket they cannot see. Backfilled from the timeline.
ALTER TABLE tickets ADD COLUMN published_at DATETIME(6) NULL AFTER dispatched_by;

UPDATE tickets t
JOIN (SELECT ticket_id, MIN(created_at) AS first_published FROM ticket_events WHERE action = 'publish' GROUP BY ticket_id) p
  ON p.ticket_id = t.id
SET t.published_at = p.first_published;
