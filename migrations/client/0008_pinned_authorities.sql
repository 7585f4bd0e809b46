-- Partner authorities pinned on this profile, Welcomes held until the
-- officer decides, and anchors that channels' policy changes added
-- (docs/identity.md, "Pinned partner authorities"). Each table is written
-- by one module of crates/liaison-core/src/engine: pinned_authorities and
-- pinning_upgrade by authorities.rs, invitations and invitation_anchors by
-- invitations.rs, anchor_additions by anchor_changes.rs.

-- The authorities this profile trusts. A channel whose anchors are not all
-- here is not joined without the officer's confirmation.
CREATE TABLE pinned_authorities (
    fingerprint  BLOB    PRIMARY KEY CHECK (length(fingerprint) = 32), -- SHA-256 of the DER
    name         TEXT    NOT NULL,  -- as the certificate names itself, for display only
    certificate  BLOB    NOT NULL,  -- DER
    pinned_at_ms INTEGER NOT NULL,
    source       TEXT    NOT NULL
        CHECK (source IN ('onboarding', 'import', 'officer', 'upgrade'))
) STRICT, WITHOUT ROWID;

-- A Welcome to a channel naming authorities not pinned here, kept until
-- the officer accepts (pinning them) or declines. The relay has dropped it.
CREATE TABLE invitations (
    id              INTEGER PRIMARY KEY,
    welcome_hash    BLOB    NOT NULL UNIQUE,
    group_id        BLOB    NOT NULL,
    channel_name    TEXT    NOT NULL,
    invited_by      TEXT,             -- officer id of the member who added us,
    invited_by_name TEXT,             -- as the channel's own authorities certify them
    welcome         BLOB    NOT NULL, -- the serialised Welcome, joined from on acceptance
    received_at_ms  INTEGER NOT NULL
) STRICT;

-- Every anchor of a held invitation's channel, in the policy's order.
CREATE TABLE invitation_anchors (
    invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    fingerprint   BLOB    NOT NULL,
    name          TEXT    NOT NULL,
    certificate   BLOB    NOT NULL,
    PRIMARY KEY (invitation_id, position)
) STRICT;

-- Anchors a merged policy change added to a channel: shown to the officer
-- in the channel, pinned or not.
CREATE TABLE anchor_additions (
    id          INTEGER PRIMARY KEY,
    group_id    BLOB    NOT NULL,
    epoch       INTEGER NOT NULL,
    fingerprint BLOB    NOT NULL,
    name        TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL
) STRICT;
CREATE INDEX anchor_additions_by_group ON anchor_additions (group_id, id);

-- Present when this version found a profile already in the store: the
-- next opening pins, once, the authorities that profile already relied on
-- (its own chain's CAs and the anchors of its channels), then deletes it.
CREATE TABLE pinning_upgrade (
    id INTEGER PRIMARY KEY CHECK (id = 1)
) STRICT;
INSERT INTO pinning_upgrade (id) SELECT 1 FROM profile;
