-- The desktop app's reading state: read markers, and each message's
-- position in its thread, so the window can page through a channel of
-- 100,000 messages by index in time proportional to the page.

-- How far the user has read each channel: every message with
-- thread_index <= read_up_to has been shown. -1 = nothing read.
CREATE TABLE read_markers (
    group_id    BLOB PRIMARY KEY REFERENCES channels(group_id),
    read_up_to  INTEGER NOT NULL DEFAULT -1,
    updated_at  INTEGER NOT NULL
) STRICT;

-- 0-based position of a message in its channel, oldest (first stored)
-- first. Assigned once, by the trigger below, whatever code inserts the
-- row; never changed, so positions stay stable while a thread grows.
ALTER TABLE messages ADD COLUMN thread_index INTEGER;

-- Existing rows: number them in storage order within each channel.
UPDATE messages SET thread_index = (
    SELECT count(*) FROM messages AS earlier
    WHERE earlier.group_id = messages.group_id AND earlier.id < messages.id
);

CREATE UNIQUE INDEX messages_by_thread_index ON messages (group_id, thread_index);

-- max() over the index is one seek; the new row's own NULL does not count.
CREATE TRIGGER messages_thread_index AFTER INSERT ON messages
WHEN NEW.thread_index IS NULL
BEGIN
    UPDATE messages SET thread_index = (
        SELECT coalesce(max(thread_index), -1) + 1 FROM messages
        WHERE group_id = NEW.group_id
    ) WHERE id = NEW.id;
END;
