-- stable_token's forced refresh (issue 17) is limited by WeChat to 20 a day (China time), 30 s apart, and
-- invalidates the token for everyone holding it; the instances sharing this database count theirs here.
ALTER TABLE wechat_access_tokens
  ADD COLUMN forced_at    DATETIME(6) NULL,
  ADD COLUMN forced_day   DATE        NULL,
  ADD COLUMN forced_count INT         NOT NULL DEFAULT 0;
