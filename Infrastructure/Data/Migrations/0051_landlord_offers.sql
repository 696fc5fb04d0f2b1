-- A landlord named by user id is only offered the house: they become its landlord (and get the landlord role and
-- its tenants' data) when they accept in the app. Naming them by phone still attaches at once when that phone is
-- their own bound phone.
ALTER TABLE houses
  ADD COLUMN offered_landlord_id BIGINT NULL AFTER landlord_id,
  ADD KEY ix_houses_offered_landlord (offered_landlord_id),
  ADD CONSTRAINT fk_houses_offered_landlord FOREIGN KEY (offered_landlord_id) REFERENCES users (id);
