-- Category defaults (issue 13): a dispatch or publish without a due time takes now + due_hours; the dispatch form
-- suggests default_department_id. Existing categories get 72 hours, the service's old customary window.

ALTER TABLE ticket_categories
  ADD COLUMN due_hours INT NOT NULL DEFAULT 72 AFTER sort_order,
  ADD COLUMN default_department_id BIGINT NULL AFTER due_hours,
  ADD KEY ix_ticket_categories_default_department (default_department_id),
  ADD CONSTRAINT fk_ticket_categories_default_department FOREIGN KEY (default_department_id) REFERENCES departments (id);
