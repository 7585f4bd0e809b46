-- Repairing forks (a relay that gave members different commits for one
-- epoch). Written by the channel engine (`engine/rejoin.rs`).

-- A channel this member found forked: a message at `epoch` carried another
-- epoch authenticator than ours. Kept until the member is added back (a
-- gap is then recorded) or an admin's commit shows the admins hold our
-- branch. `requested` once the rejoin request reached the relay.
CREATE TABLE forks (
    group_id       BLOB    PRIMARY KEY REFERENCES channels (group_id),
    epoch          INTEGER NOT NULL,
    detected_seq   INTEGER NOT NULL,
    detected_at_ms INTEGER NOT NULL,
    requested      INTEGER NOT NULL DEFAULT 0
);

-- What a member added back after a fork could not read: everything the
-- admins' branch carried from `fork_epoch` until the epoch it rejoined at.
CREATE TABLE gaps (
    id             INTEGER PRIMARY KEY,
    group_id       BLOB    NOT NULL REFERENCES channels (group_id),
    fork_epoch     INTEGER NOT NULL,
    rejoined_epoch INTEGER NOT NULL,
    detected_seq   INTEGER NOT NULL,
    detected_at_ms INTEGER NOT NULL,
    rejoined_at_ms INTEGER NOT NULL
);
CREATE INDEX gaps_by_group ON gaps (group_id, id);

-- Rejoin requests an admin has answered (re-added, or declined because the
-- requester holds the admins' branch), by SHA-256 of the request, so the
-- relay's copy is not judged again every round.
CREATE TABLE rejoins_answered (
    hash     BLOB    PRIMARY KEY,
    group_id BLOB    NOT NULL,
    outcome  TEXT    NOT NULL,
    at_ms    INTEGER NOT NULL
) WITHOUT ROWID;
