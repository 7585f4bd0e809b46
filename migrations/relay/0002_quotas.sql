-- Storage quotas: ciphertext bytes held per group, and per sender within
-- a group, so that no member can fill a group (or the relay) alone.

ALTER TABLE groups ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;

-- The directory key (authority and officer id) of the connection that
-- submitted the message; '' for messages stored before this migration.
ALTER TABLE messages ADD COLUMN sender TEXT NOT NULL DEFAULT '';

CREATE TABLE usage (
    group_id BLOB    NOT NULL,
    sender   TEXT    NOT NULL,
    bytes    INTEGER NOT NULL,
    PRIMARY KEY (group_id, sender)
) WITHOUT ROWID;

UPDATE groups SET stored_bytes = (
    SELECT COALESCE(SUM(length(message)), 0) FROM messages
    WHERE messages.group_id = groups.group_id
);

INSERT INTO usage (group_id, sender, bytes)
    SELECT group_id, '', SUM(length(message)) FROM messages GROUP BY group_id;
