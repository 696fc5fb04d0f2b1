-- Console sign-in by scan (扫码登录): the browser console opens a session, a staff member approves it in the
-- mini-program, and the console collects its own tokens once. Only the SHA-256 of the console's secret is kept;
-- public_id is what the QR code carries and names the session in URLs.
CREATE TABLE console_sessions (
  id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id     CHAR(22)     NOT NULL,
  secret_hash   BINARY(32)   NOT NULL,
  created_at    DATETIME(6)  NOT NULL,
  expires_at    DATETIME(6)  NOT NULL,
  approved_by   BIGINT       NULL,
  approved_at   DATETIME(6)  NULL,
  delivered_at  DATETIME(6)  NULL,
  UNIQUE KEY ux_console_sessions_public_id (public_id),
  KEY ix_console_sessions_expires (expires_at),
  CONSTRAINT fk_console_sessions_approved_by FOREIGN KEY (approved_by) REFERENCES users (id)
);
