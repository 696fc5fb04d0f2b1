-- Which demo seeders have run (./run loads the demo data once; `dotnet Api.dll seed-demo`).
-- One row per seeder, so a seeder a feature adds later still runs on a database seeded before it.
CREATE TABLE demo_seeds (
  name      VARCHAR(100) NOT NULL PRIMARY KEY,
  seeded_at DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
