-- Search filters inside the full-text index.
--
-- Relevance order ranks the most recent matches of the words that also pass
-- the filters. With the filters as SQL conditions on `messages`, a selective
-- filter (FLASH, one sender, one classification) made FTS5 hand out tens of
-- thousands of word matches, each looked up in `messages` to be dropped:
-- 400 to 1,100 ms over a million messages. Here every indexed row also
-- carries its filter values as tokens in a second column, `facets`, so FTS5
-- intersects the word and filter lists itself, in its own index, before any
-- row is read. The SQL conditions stay in the search statement: the index
-- narrows, the table decides.
--
-- Facet tokens (one word each for the unicode61 tokenizer):
--   g<hex of group_id>   the channel
--   s<hex of sender_id>  the sender
--   p<precedence code>   the precedence
--   r<rank>              the classification rank
-- The body column's words are matched with a column filter, so a typed word
-- never meets a facet token. BM25 weighs the facets column 0.

DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;

-- What the index reads for a row: its body and its facets, computed from the
-- row's columns so they can never disagree with it.
CREATE VIEW messages_fts_source AS
SELECT id,
       body,
       'g' || lower(hex(group_id)) || ' s' || lower(hex(sender_id))
           || ' p' || precedence || ' r' || rank AS facets
FROM messages;

CREATE VIRTUAL TABLE messages_fts USING fts5(
    body,
    facets,
    content = 'messages_fts_source',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    -- Prefix searches ("conv*") read one list instead of merging every
    -- term that starts with the prefix.
    prefix = '2 3 4'
);

INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)');

-- New rows are queued as before (0003_archive.sql says why).
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
BEGIN
    INSERT OR IGNORE INTO messages_fts_pending (id) VALUES (new.id);
END;

-- A deleted row leaves the index in the same statement (its values exactly
-- as indexed), unless it was still waiting to enter it.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, facets)
        SELECT 'delete', old.id, old.body,
               'g' || lower(hex(old.group_id)) || ' s' || lower(hex(old.sender_id))
                   || ' p' || old.precedence || ' r' || old.rank
        WHERE NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE id = old.id);
    DELETE FROM messages_fts_pending WHERE id = old.id;
END;

CREATE TRIGGER messages_fts_update
AFTER UPDATE OF body, group_id, sender_id, precedence, rank ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, facets)
        SELECT 'delete', old.id, old.body,
               'g' || lower(hex(old.group_id)) || ' s' || lower(hex(old.sender_id))
                   || ' p' || old.precedence || ' r' || old.rank
        WHERE NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE id = old.id);
    INSERT OR IGNORE INTO messages_fts_pending (id) VALUES (new.id);
END;

-- Every stored message, indexed again with its facets (rows still queued
-- are skipped: the next search indexes them).
INSERT INTO messages_fts (rowid, body, facets)
    SELECT s.id, s.body, s.facets FROM messages_fts_source s
    WHERE NOT EXISTS (SELECT 1 FROM messages_fts_pending p WHERE p.id = s.id);
