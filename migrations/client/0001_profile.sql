-- Liaison client store, schema version 1: the profile and the audit log.
-- Applied by crates/liaison-core/src/store/migrations.rs inside a transaction;
-- timestamps are Unix time in milliseconds (UTC).

-- The officer this store belongs to. At most one row (id is always 1).
CREATE TABLE profile (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    officer_id        TEXT    NOT NULL,
    certificate_chain BLOB    NOT NULL,
    device_key_seed   BLOB    NOT NULL CHECK (length(device_key_seed) = 32),
    created_at        INTEGER NOT NULL
) STRICT;

-- Security-relevant events. group_id is NULL for events that concern the
-- profile rather than one channel. Rows are never edited (the trigger below
-- guards against bugs, not against someone holding the key); retention may
-- delete old rows.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    group_id BLOB,
    event    TEXT    NOT NULL,
    detail   TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_by_group ON audit (group_id, id);

CREATE TRIGGER audit_rows_are_immutable BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows are immutable');
END;
