-- Archive and search: full-text index, channel origin, per-message
-- verification state, imported archives, and an index for retention.
-- Written by crates/liaison-core/src/archive; docs/archive.md explains it.

-- 'live': a channel this profile is (or was) a member of.
-- 'imported': opened read-only from an archive file (no MLS group).
ALTER TABLE channels ADD COLUMN origin TEXT NOT NULL DEFAULT 'live'
    CHECK (origin IN ('live', 'imported'));

-- How far a stored message is trusted. Messages received live were checked
-- at receipt ('verified'); an imported message is checked offline against
-- the archive's recorded authorities: 'unverified' when its authority is
-- not known to this profile or its certificate does not verify, 'tampered'
-- when its signature or label does not (shown, flagged, never trusted).
ALTER TABLE messages ADD COLUMN verification TEXT NOT NULL DEFAULT 'verified'
    CHECK (verification IN ('verified', 'unverified', 'tampered'));

-- Retention deletes by local receipt time, channel by channel.
CREATE INDEX messages_by_receipt ON messages (group_id, received_at_ms);

-- One row per imported archive, so the same file is not imported twice.
CREATE TABLE imports (
    archive_id     BLOB PRIMARY KEY,          -- random id written in the archive header
    group_id       BLOB NOT NULL REFERENCES channels(group_id) ON DELETE CASCADE,
    source_group   BLOB NOT NULL,             -- the exporter's MLS group id
    exported_by    TEXT NOT NULL,
    imported_at_ms INTEGER NOT NULL
) STRICT;

-- The full-text index over message bodies. External content: the text lives
-- once, in `messages`; the index holds only tokens and row ids.
CREATE VIRTUAL TABLE messages_fts USING fts5(
    body,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Deleted rows are removed from the index itself rather than masked by
-- delete markers, so retention and purges leave no searchable trace.
INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1);

-- Rows stored but not yet in the index. FTS5 writes its pending terms to
-- disk at every savepoint, and the engine opens one per message received,
-- so indexing row by row from a trigger would cost a segment write per
-- message. New rows are queued here instead (an ordinary insert in the same
-- transaction) and folded into the index by one statement before every
-- search and at the end of every bulk write (archive/index.rs).
CREATE TABLE messages_fts_pending (
    id INTEGER PRIMARY KEY          -- messages.id
) STRICT;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
BEGIN
    INSERT OR IGNORE INTO messages_fts_pending (id) VALUES (new.id);
END;

-- A deleted row leaves the index in the same statement, unless it was
-- still waiting to enter it.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
        SELECT 'delete', old.id, old.body
        WHERE NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE id = old.id);
    DELETE FROM messages_fts_pending WHERE id = old.id;
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
        SELECT 'delete', old.id, old.body
        WHERE NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE id = old.id);
    INSERT OR IGNORE INTO messages_fts_pending (id) VALUES (new.id);
END;

-- Messages stored before this migration.
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
