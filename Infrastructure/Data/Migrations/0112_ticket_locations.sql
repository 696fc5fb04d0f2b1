-- Where a ticket is, as a point, so residents see open tickets nearby before filing a copy (issue 15).
-- latitude/longitude stay as they are (the ticket page shows them); location is the same place, indexed.
-- SRID 4326: MySQL 8 reads it from the versioned comment (its optimizer uses a spatial index only on a column with an
-- SRID); MariaDB 10.11 skips versioned comments for MySQL 5.7 and later and keeps the SRID on each value instead.
-- Values are written with ST_GeomFromGeoJSON(…, 1, 4326): GeoJSON is [longitude, latitude] on both servers, whereas
-- WKT under SRID 4326 is latitude first on MySQL 8 and x/y (longitude first) on MariaDB.
-- A spatial index needs NOT NULL: a ticket reported without a location is at POINT(0 0) in the Gulf of Guinea, far from
-- any community, and the nearby search also asks for latitude IS NOT NULL.
ALTER TABLE tickets ADD COLUMN location POINT NULL /*!80003 SRID 4326 */ AFTER longitude;

UPDATE tickets
SET location = ST_GeomFromGeoJSON(JSON_OBJECT('type', 'Point', 'coordinates', JSON_ARRAY(COALESCE(longitude, 0), COALESCE(latitude, 0))), 1, 4326);

ALTER TABLE tickets
  MODIFY location POINT NOT NULL /*!80003 SRID 4326 */ DEFAULT (ST_GeomFromGeoJSON('{"type":"Point","coordinates":[0,0]}', 1, 4326)),
  ADD SPATIAL KEY sx_tickets_location (location);
