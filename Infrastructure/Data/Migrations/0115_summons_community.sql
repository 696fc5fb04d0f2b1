-- The 吹哨报到 figures of a community or a street office read its summonses by the time they were issued. Without the
-- ticket's community on the summons, every summons of the range was joined to its ticket to find out (200 ms for one
-- community's year at a million tickets, as long as the whole street's). A ticket never changes community.
ALTER TABLE ticket_summonses ADD COLUMN community_id BIGINT NULL AFTER ticket_id;

UPDATE ticket_summonses s JOIN tickets t ON t.id = s.ticket_id SET s.community_id = t.community_id;

ALTER TABLE ticket_summonses
  MODIFY community_id BIGINT NOT NULL,
  ADD KEY ix_ticket_summonses_community_created (community_id, created_at),
  ADD CONSTRAINT fk_ticket_summonses_community FOREIGN KEY (community_id) REFERENCES communities (id);
