-- The relay's database: key-package directory, groups with their public MLS
-- state and members, ordered ciphertext, and waiting Welcomes.

-- Key packages not yet handed out. At most one last-resort package per
-- officer; it is handed out but kept.
CREATE TABLE key_packages (
    id           INTEGER PRIMARY KEY,
    officer_id   TEXT    NOT NULL,
    hash_ref     BLOB    NOT NULL UNIQUE,
    package      BLOB    NOT NULL,
    last_resort  INTEGER NOT NULL,
    published_at INTEGER NOT NULL
);
CREATE INDEX key_packages_by_officer ON key_packages (officer_id, last_resort, id);

-- Who published which key package, kept after a claim: a Welcome names the
-- key packages it is for, and reaches their officers through this table.
CREATE TABLE key_package_owners (
    hash_ref     BLOB    PRIMARY KEY,
    officer_id   TEXT    NOT NULL,
    published_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE groups (
    group_id       BLOB    PRIMARY KEY,
    epoch          INTEGER NOT NULL,
    last_seq       INTEGER NOT NULL DEFAULT 0,
    stored         INTEGER NOT NULL DEFAULT 0,
    retention_days INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);

-- openmls's public group state (ratchet tree, context, queued proposals) as
-- its storage provider writes it: opaque keys and values.
CREATE TABLE group_state (
    group_id BLOB NOT NULL REFERENCES groups (group_id),
    key      BLOB NOT NULL,
    value    BLOB NOT NULL,
    PRIMARY KEY (group_id, key)
);

-- One row per leaf a member held: it may read the group's messages after
-- since_seq and up to until_seq (the commit that removed it; NULL while a
-- member).
CREATE TABLE members (
    group_id      BLOB    NOT NULL REFERENCES groups (group_id),
    signature_key BLOB    NOT NULL,
    officer_id    TEXT    NOT NULL,
    since_seq     INTEGER NOT NULL,
    until_seq     INTEGER,
    PRIMARY KEY (group_id, signature_key, since_seq)
);

CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    group_id    BLOB    NOT NULL REFERENCES groups (group_id),
    seq         INTEGER NOT NULL,
    message     BLOB    NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (group_id, seq)
);
CREATE INDEX messages_by_age ON messages (received_at);

CREATE TABLE welcomes (
    id         INTEGER PRIMARY KEY,
    officer_id TEXT    NOT NULL,
    group_id   BLOB    NOT NULL,
    welcome    BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX welcomes_by_officer ON welcomes (officer_id, id);
