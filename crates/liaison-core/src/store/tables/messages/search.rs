//! The full-text index of `messages` (`messages_fts`, FTS5, and its queue
//! `messages_fts_pending`, migrations 0003 and 0012) and the search
//! statements over it.
//!
//! Each indexed row holds the message's body and its filter values as
//! tokens in a second column, `facets` (migration 0012 lists them), so a
//! filtered word search is an intersection inside the index. The filters
//! are also SQL conditions on `messages`: the facets only narrow what the
//! index hands out, the table's columns decide.
//!
//! Triggers queue every new `messages` row in `messages_fts_pending` (see
//! `migrations/client/0003_archive.sql` for why FTS5 is not written row by
//! row) and remove deleted rows from the index at once. [`index_pending`]
//! moves the queued rows into FTS5 with one statement, so FTS5 writes one
//! segment for the lot. It runs before every search, so a search always
//! sees every stored message, and at the end of bulk writes.

use std::fmt::Write as _;

use rusqlite::types::Value;
use rusqlite::{Connection, Row};

use super::read::{MessageRecord, RECORD_COLUMN_COUNT, record_columns};
use super::to_i64;
use crate::archive::{RELEVANCE_WINDOW, SearchOrder};

/// Indexes every queued row, in one savepoint (a transaction when none is
/// open). Returns how many rows were indexed.
pub(crate) fn index_pending(conn: &Connection) -> Result<u64, rusqlite::Error> {
    let pending: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM messages_fts_pending)")?
        .query_row([], |row| row.get(0))?;
    if !pending {
        return Ok(0);
    }
    conn.execute_batch("SAVEPOINT liaison_fts")?;
    let result = (|| {
        let indexed = conn.execute(
            "INSERT INTO messages_fts (rowid, body, facets)
             SELECT s.id, s.body, s.facets
             FROM messages_fts_pending p JOIN messages_fts_source s ON s.id = p.id",
            [],
        )?;
        conn.execute("DELETE FROM messages_fts_pending", [])?;
        Ok(u64::try_from(indexed).unwrap_or(u64::MAX))
    })();
    let end = if result.is_ok() {
        "RELEASE liaison_fts"
    } else {
        "ROLLBACK TO liaison_fts; RELEASE liaison_fts"
    };
    conn.execute_batch(end)?;
    result
}

/// The conditions a search puts on the message rows.
#[derive(Debug, Default)]
pub(crate) struct SearchFilter<'a> {
    /// Only this channel.
    pub(crate) channel: Option<&'a [u8]>,
    /// Only this sender.
    pub(crate) sender: Option<&'a str>,
    /// Only this precedence code.
    pub(crate) precedence: Option<u8>,
    /// Only messages sent at or after this time.
    pub(crate) from_ms: Option<u64>,
    /// Only messages sent at or before this time.
    pub(crate) to_ms: Option<u64>,
    /// Only labels of these ranks.
    pub(crate) ranks: Option<Vec<usize>>,
}

/// Words to match, as an FTS5 expression, and how to mark them in snippets.
#[derive(Debug)]
pub(crate) struct TextMatch<'a> {
    /// The FTS5 expression (built from the user's words, never their text).
    pub(crate) expression: String,
    /// Written before each matched word in a snippet.
    pub(crate) open: &'a str,
    /// Written after each matched word in a snippet.
    pub(crate) close: &'a str,
    /// Tokens a snippet holds.
    pub(crate) snippet_tokens: u32,
    /// The order of the results.
    pub(crate) order: SearchOrder,
}

/// One message found, with its channel's name and origin.
#[derive(Debug)]
pub(crate) struct SearchRow {
    /// The channel.
    pub(crate) group_id: Vec<u8>,
    /// The channel's partnership name.
    pub(crate) channel_name: String,
    /// The channel's stored origin.
    pub(crate) channel_origin: String,
    /// The message.
    pub(crate) record: MessageRecord,
    /// The matched body with its words marked, when words were searched.
    pub(crate) snippet: Option<String>,
}

/// Columns before the message's in a result row: group id, channel name,
/// channel origin.
const LEAD_COLUMNS: usize = 3;

impl SearchRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            group_id: row.get(0)?,
            channel_name: row.get(1)?,
            channel_origin: row.get(2)?,
            record: MessageRecord::read(row, LEAD_COLUMNS)?,
            snippet: row.get(LEAD_COLUMNS + RECORD_COLUMN_COUNT)?,
        })
    }
}

/// The SQL text and parameters of one search, before paging.
#[derive(Debug)]
pub(crate) struct SearchStatement {
    sql: String,
    params: Vec<Value>,
}

fn to_sql_int(value: u64) -> Value {
    Value::Integer(to_i64(value))
}

/// The FTS5 expression of a search: the words, restricted to the body
/// column, and each filter that has a facet token, restricted to the facets
/// column (migration 0012 defines the tokens; hex keeps each one a single
/// token whatever the id holds).
fn match_expression(words: &str, filter: &SearchFilter<'_>) -> String {
    let mut expression = format!("{{body}} : ({words})");
    let mut facet = |tokens: &str| {
        let _ = write!(expression, " AND {{facets}} : ({tokens})");
    };
    if let Some(channel) = filter.channel {
        facet(&format!("g{}", hex::encode(channel)));
    }
    if let Some(sender) = filter.sender {
        facet(&format!("s{}", hex::encode(sender.as_bytes())));
    }
    if let Some(precedence) = filter.precedence {
        facet(&format!("p{precedence}"));
    }
    if let Some(ranks) = filter.ranks.as_deref().filter(|r| !r.is_empty()) {
        let any = ranks
            .iter()
            .map(|rank| format!("r{rank}"))
            .collect::<Vec<_>>()
            .join(" OR ");
        facet(&any);
    }
    expression
}

/// The filters as SQL conditions on `messages m`, appended to `params`.
fn conditions(filter: &SearchFilter<'_>, params: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    let mut bind = |sql: &mut String, clause: &str, value: Value| {
        params.push(value);
        let _ = write!(sql, " AND {clause} ?{}", params.len());
    };
    if let Some(channel) = filter.channel {
        bind(&mut sql, "m.group_id =", Value::Blob(channel.to_vec()));
    }
    if let Some(sender) = filter.sender {
        bind(&mut sql, "m.sender_id =", Value::Text(sender.to_owned()));
    }
    if let Some(precedence) = filter.precedence {
        bind(
            &mut sql,
            "m.precedence =",
            Value::Integer(i64::from(precedence)),
        );
    }
    if let Some(from) = filter.from_ms {
        bind(&mut sql, "m.sent_at_ms >=", to_sql_int(from));
    }
    if let Some(to) = filter.to_ms {
        bind(&mut sql, "m.sent_at_ms <=", to_sql_int(to));
    }
    if let Some(ranks) = &filter.ranks {
        let mut ranks = ranks.clone();
        ranks.sort_unstable();
        ranks.dedup();
        let list = ranks
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let _ = write!(sql, " AND m.rank IN ({list})");
    }
    sql
}

impl SearchStatement {
    /// The statement for `text` (none: filters only, newest first) and
    /// `filter`; its last two parameters (limit and offset) are added per
    /// page.
    pub(crate) fn new(text: Option<&TextMatch<'_>>, filter: &SearchFilter<'_>) -> Self {
        let mut params: Vec<Value> = Vec::new();
        let columns = concat!("m.group_id, c.name, c.origin, ", record_columns!());
        let Some(text) = text else {
            let conditions = conditions(filter, &mut params);
            let (limit, offset) = (params.len() + 1, params.len() + 2);
            let sql = format!(
                "SELECT {columns}, NULL FROM messages m JOIN channels c ON c.group_id = m.group_id \
                 WHERE 1 = 1{conditions} ORDER BY m.id DESC LIMIT ?{limit} OFFSET ?{offset}"
            );
            return Self { sql, params };
        };
        params.push(Value::Text(text.open.to_owned()));
        params.push(Value::Text(text.close.to_owned()));
        params.push(Value::Text(match_expression(&text.expression, filter)));
        let conditions = conditions(filter, &mut params);
        let (limit, offset) = (params.len() + 1, params.len() + 2);
        let snippet = format!(
            "snippet(messages_fts, 0, ?1, ?2, '…', {})",
            text.snippet_tokens
        );
        // CROSS JOIN keeps the index as the outer loop: the planner must never
        // scan `messages` and probe the index row by row. FTS5 hands rows out in
        // row-id order, so newest first stops after `limit` rows.
        let sql = match text.order {
            SearchOrder::Recency => format!(
                "SELECT {columns}, {snippet} \
                 FROM messages_fts CROSS JOIN messages m ON m.id = messages_fts.rowid \
                 JOIN channels c ON c.group_id = m.group_id \
                 WHERE messages_fts MATCH ?3{conditions} \
                 ORDER BY messages_fts.rowid DESC LIMIT ?{limit} OFFSET ?{offset}"
            ),
            // BM25 over the most recent matches only: its cost grows with the
            // number of rows scored, and a word found in most of a million
            // messages would otherwise take a second. The winners are then
            // looked up again, by row id, for their snippets.
            SearchOrder::Relevance => format!(
                "WITH best AS (SELECT rid, score FROM (\
                     SELECT messages_fts.rowid AS rid, messages_fts.rank AS score \
                     FROM messages_fts CROSS JOIN messages m ON m.id = messages_fts.rowid \
                     WHERE messages_fts MATCH ?3{conditions} \
                     ORDER BY messages_fts.rowid DESC LIMIT {RELEVANCE_WINDOW}) \
                   ORDER BY score, rid DESC LIMIT ?{limit} OFFSET ?{offset}) \
                 SELECT {columns}, {snippet} \
                 FROM best CROSS JOIN messages_fts ON messages_fts.rowid = best.rid \
                 JOIN messages m ON m.id = best.rid JOIN channels c ON c.group_id = m.group_id \
                 WHERE messages_fts MATCH ?3 ORDER BY best.score, best.rid DESC"
            ),
        };
        Self { sql, params }
    }

    /// Runs the search page by page, `page` rows at a time, calling `visit`
    /// on each row found until it answers `true` (enough) or a page comes
    /// back short. Indexes queued rows first.
    pub(crate) fn run<E: From<rusqlite::Error>>(
        &self,
        conn: &Connection,
        page: u32,
        mut visit: impl FnMut(SearchRow) -> Result<bool, E>,
    ) -> Result<(), E> {
        index_pending(conn)?;
        let mut prepared = conn.prepare(&self.sql)?;
        let mut offset: i64 = 0;
        loop {
            let mut params = self.params.clone();
            params.push(Value::Integer(i64::from(page)));
            params.push(Value::Integer(offset));
            let mut rows = prepared.query(rusqlite::params_from_iter(params))?;
            let mut fetched: i64 = 0;
            while let Some(row) = rows.next()? {
                fetched += 1;
                if visit(SearchRow::read(row)?)? {
                    return Ok(());
                }
            }
            if fetched < i64::from(page) {
                return Ok(());
            }
            offset += fetched;
        }
    }
}
