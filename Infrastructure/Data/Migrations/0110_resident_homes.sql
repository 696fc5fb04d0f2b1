-- Where each resident lives (issue 15): the community and grid that reach them with notices.
-- One row per user, the latest source wins: the resident's own declaration (a scanned house code, or a community and
-- grid chosen in the mini-program), an active tenancy, a house they own and live in (own_use), or a household they
-- registered. house_id is set when the home is a known house (building audiences match through it); household_id when
-- it came from a household (acknowledgements of a convention count per household).
-- Staff only ever see these rows counted per grid.
CREATE TABLE resident_homes (
  user_id      BIGINT      NOT NULL PRIMARY KEY,
  community_id BIGINT      NOT NULL,
  grid_id      BIGINT      NOT NULL,
  house_id     BIGINT      NULL,
  household_id BIGINT      NULL,
  source       VARCHAR(16) NOT NULL,
  updated_at   DATETIME(6) NOT NULL,
  KEY ix_resident_homes_community (community_id, grid_id),
  KEY ix_resident_homes_grid (grid_id),
  KEY ix_resident_homes_house (house_id),
  CONSTRAINT fk_resident_homes_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_resident_homes_community FOREIGN KEY (community_id) REFERENCES communities (id),
  CONSTRAINT fk_resident_homes_grid FOREIGN KEY (grid_id) REFERENCES grids (id),
  CONSTRAINT fk_resident_homes_house FOREIGN KEY (house_id) REFERENCES houses (id),
  CONSTRAINT fk_resident_homes_household FOREIGN KEY (household_id) REFERENCES households (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
