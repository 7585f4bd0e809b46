-- Channels, messages, delivery cursors, outbox, acknowledgements.
-- Written by the channel engine; every receive is one transaction touching
-- the openmls tables, `messages` (or `acks`), `seen` and `cursors` together.

CREATE TABLE channels (
    group_id    BLOB PRIMARY KEY,
    name        TEXT NOT NULL,
    policy      BLOB NOT NULL,        -- canonical ChannelPolicy encoding, as in the group context
    archived    INTEGER NOT NULL DEFAULT 0,
    joined_at   INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1   -- 0 once we left or were removed
);

CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    group_id     BLOB NOT NULL REFERENCES channels(group_id),
    message_id   BLOB NOT NULL,
    seq          INTEGER,             -- relay order; NULL while our own message waits in the outbox
    epoch        INTEGER NOT NULL,
    sender_id    TEXT NOT NULL,
    sender_name  TEXT NOT NULL,
    sender_nation TEXT NOT NULL,
    label        BLOB NOT NULL,       -- canonical label encoding
    marking      TEXT NOT NULL,       -- portion marking, rendered at receipt
    rank         INTEGER NOT NULL,    -- classification rank, for banners
    precedence   INTEGER NOT NULL,
    exercise     INTEGER NOT NULL,
    body         TEXT NOT NULL,
    ref_kind     INTEGER,
    ref_id       BLOB,
    sent_at_ms   INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    envelope     BLOB NOT NULL,       -- envelope as signed, for offline verification
    signature    BLOB NOT NULL,
    sender_chain BLOB NOT NULL,       -- sender's certificate chain (MLS credential content)
    UNIQUE (group_id, message_id)
);
CREATE INDEX messages_by_group ON messages (group_id, id);

-- Every relay message processed or refused, by hash of its bytes, so a
-- redelivery is recognised before openmls is touched.
CREATE TABLE seen (
    hash      BLOB PRIMARY KEY,
    group_id  BLOB NOT NULL,
    outcome   TEXT NOT NULL,          -- 'processed', 'own', 'rejected'
    at_ms     INTEGER NOT NULL
);

CREATE TABLE cursors (
    group_id  BLOB PRIMARY KEY,
    seq       INTEGER NOT NULL
);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    group_id   BLOB NOT NULL,
    kind       TEXT NOT NULL,         -- 'application' or 'commit'
    message    BLOB NOT NULL,         -- serialised MlsMessageOut
    welcome    BLOB,
    message_id BLOB,                  -- for a labelled message: its id, to record its relay position
    hash       BLOB NOT NULL,
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE acks (
    group_id    BLOB NOT NULL,
    message_id  BLOB NOT NULL,
    officer_id  TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,
    PRIMARY KEY (group_id, message_id, officer_id)
);

-- Key packages we published, so a Welcome can be matched and the
-- directory topped up.
CREATE TABLE key_packages (
    hash_ref    BLOB PRIMARY KEY,
    last_resort INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL
);
