-- Issue 17: each kind's template names its own keyword layout, so an outbox row is written for one template
-- (its data already laid out and fitted to WeChat's rules) and is sent with that template, whatever the
-- configuration says by the time it is delivered. NULL: a row written before this migration (the configured
-- template of its kind is used, as before).
ALTER TABLE notification_outbox
  ADD COLUMN template_id VARCHAR(128) NULL AFTER kind;
