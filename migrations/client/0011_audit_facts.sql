-- The facts of each audited event, as a JSON object (who did what, before
-- and after; docs/audit.md lists them by kind), so the apps can say it in
-- the officer's language. Written by the owner of `audit`
-- (`store/tables/audit.rs`). NULL for rows written before this migration:
-- those show their English `detail`, as before.
ALTER TABLE audit ADD COLUMN facts TEXT;

-- The audit screen filters by kind and by time.
CREATE INDEX audit_by_event ON audit (event, id);
