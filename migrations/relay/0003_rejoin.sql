-- Members' requests to be added back to a group whose branch they lost
-- (a fork made by a relay that gave members different commits). One per
-- device leaf and group; the newest replaces the older. Deleted when a
-- commit removes the leaf (the admin's re-add does), or with the group.
CREATE TABLE rejoin_requests (
    group_id      BLOB    NOT NULL REFERENCES groups (group_id),
    signature_key BLOB    NOT NULL,
    officer_id    TEXT    NOT NULL,
    request       BLOB    NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (group_id, signature_key)
);
