-- Indexes for what the channel list asks of every channel each time it is
-- drawn, so that a channel of 100,000 messages costs an index walk, not a
-- read (and a decryption) of every row.

-- Unread counts: positions past the read marker from other senders, read
-- from the index alone.
CREATE INDEX messages_unread ON messages (group_id, thread_index, sender_id);

-- Messages that ask for an acknowledgement (precedence IMMEDIATE = 2 and
-- FLASH = 3, codes fixed by the envelope format): few, so a partial index.
-- Queries must spell the condition with the literal 2 for SQLite to use it.
CREATE INDEX messages_asking_ack ON messages (group_id, id) WHERE precedence >= 2;
