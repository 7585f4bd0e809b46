-- openmls's large group records (ratchet tree, message secrets: megabytes
-- in a channel of a thousand, rewritten at every commit and message) are
-- stored as content-defined chunks, so that a rewrite touches only the
-- chunks whose content changed. The record's row in openmls_group_data then
-- holds a manifest (the chunks' hashes and lengths, in order) instead of the
-- record; see crates/liaison-core/src/store/chunked.rs.

CREATE TABLE mls_chunks (
    group_id   BLOB NOT NULL,   -- the group id, encoded as in openmls_group_data
    data_type  TEXT NOT NULL,   -- 'tree' or 'message_secrets'
    hash       BLOB NOT NULL,   -- SHA-256 of data
    data       BLOB NOT NULL,
    PRIMARY KEY (group_id, data_type, hash)
);
