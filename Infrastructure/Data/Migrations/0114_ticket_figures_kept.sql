-- Ticket figures kept, not computed when asked (issue 13): a street office's year is half a million tickets at a
-- million, and no index brings reading them one by one under 300 ms. The figures of each community's China day are
-- kept per dimension (everything, each grid, category, department, party member) in ticket_figures_days, and summed
-- per month in ticket_figures_months; Api/Stats/TicketFiguresStore.cs writes and reads both. `figures` is that
-- class's binary form of one group's partial figures: its counts, and each duration and open due time of its tickets,
-- so medians and the 90th percentile stay exact and "overdue" is counted at the moment of asking.
CREATE TABLE ticket_figures_days (
  community_id BIGINT      NOT NULL,
  dim          ENUM('all', 'grid', 'category', 'department', 'party_member') NOT NULL,
  day          DATE        NOT NULL,
  dim_id       BIGINT      NOT NULL,
  tickets      INT         NOT NULL,
  figures      MEDIUMBLOB  NOT NULL,
  PRIMARY KEY (community_id, dim, day, dim_id)
) ENGINE=InnoDB;

CREATE TABLE ticket_figures_months (
  community_id BIGINT      NOT NULL,
  dim          ENUM('all', 'grid', 'category', 'department', 'party_member') NOT NULL,
  month        DATE        NOT NULL,
  dim_id       BIGINT      NOT NULL,
  tickets      INT         NOT NULL,
  figures      MEDIUMBLOB  NOT NULL,
  PRIMARY KEY (community_id, dim, month, dim_id)
) ENGINE=InnoDB;

-- The tickets whose community day must be counted again. Written by the triggers below in the writer's own transaction,
-- so no code path (an action, the clock worker, a merge, a seed, a hand-written fix) can change a ticket and leave its
-- figures behind; the refresh takes the rows it can lock and skips those of transactions still running.
CREATE TABLE ticket_figures_stale (
  community_id BIGINT NOT NULL,
  day          DATE   NOT NULL,
  ticket_id    BIGINT NOT NULL,
  PRIMARY KEY (community_id, day, ticket_id)
) ENGINE=InnoDB;

CREATE TRIGGER tr_tickets_figures_insert AFTER INSERT ON tickets FOR EACH ROW
  INSERT IGNORE INTO ticket_figures_stale (community_id, day, ticket_id)
  VALUES (NEW.community_id, DATE(NEW.created_at + INTERVAL 8 HOUR), NEW.id);

CREATE TRIGGER tr_tickets_figures_update AFTER UPDATE ON tickets FOR EACH ROW
  INSERT IGNORE INTO ticket_figures_stale (community_id, day, ticket_id)
  VALUES (NEW.community_id, DATE(NEW.created_at + INTERVAL 8 HOUR), NEW.id),
         (OLD.community_id, DATE(OLD.created_at + INTERVAL 8 HOUR), OLD.id);

CREATE TRIGGER tr_tickets_figures_delete AFTER DELETE ON tickets FOR EACH ROW
  INSERT IGNORE INTO ticket_figures_stale (community_id, day, ticket_id)
  VALUES (OLD.community_id, DATE(OLD.created_at + INTERVAL 8 HOUR), OLD.id);

-- The routing, acceptance, claim and resolution times are read from the timeline.
CREATE TRIGGER tr_ticket_events_figures AFTER INSERT ON ticket_events FOR EACH ROW
  INSERT IGNORE INTO ticket_figures_stale (community_id, day, ticket_id)
  SELECT t.community_id, DATE(t.created_at + INTERVAL 8 HOUR), t.id FROM tickets t
  WHERE t.id = NEW.ticket_id AND NEW.action IN ('dispatch', 'publish', 'take', 'accept', 'claim', 'resolve');

-- Every ticket there is today, counted by the figures worker after start-up (or by the first request that needs them).
INSERT IGNORE INTO ticket_figures_stale (community_id, day, ticket_id)
SELECT community_id, DATE(created_at + INTERVAL 8 HOUR), id FROM tickets;
