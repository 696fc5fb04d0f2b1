-- Return visits (回访, issue 13): an evaluation of 1 or 2 stars puts the ticket into return_visit for its community
-- instead of closing it. return_visits counts the times it entered that step; satisfied_after_visit is the outcome the
-- community recorded when its visit closed the ticket (NULL: no visit closed it).
ALTER TABLE tickets
  ADD COLUMN return_visits TINYINT NOT NULL DEFAULT 0 AFTER evaluation_comment,
  ADD COLUMN satisfied_after_visit TINYINT(1) NULL AFTER return_visits;
