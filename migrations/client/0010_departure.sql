-- How this officer stopped being a member of a channel, for what the
-- clients say about it ("left" or "removed"). Written by the owner of
-- `channels` (`store/tables/channels.rs`): `left` when the officer asks to
-- leave, `removed` when a commit removes the officer without that. NULL
-- while a member, and for channels left before this migration (shown as
-- left, as before).
ALTER TABLE channels ADD COLUMN departure TEXT CHECK (departure IN ('left', 'removed'));
