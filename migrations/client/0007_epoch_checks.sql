-- The epoch authenticator of every epoch this member entered (RFC 9420
-- §8.7), truncated to 16 bytes. Senders put theirs in each message's
-- binding; a receiver whose own differs for that epoch holds another
-- branch of the channel than the sender: a fork, made by a relay that gave
-- members different commits, reported instead of mistaken for noise.
CREATE TABLE epoch_checks (
    group_id      BLOB    NOT NULL,
    epoch         INTEGER NOT NULL,
    authenticator BLOB    NOT NULL,
    PRIMARY KEY (group_id, epoch)
) WITHOUT ROWID;
