//! Full-text search over the encrypted store (FTS5), with filters.

use std::fmt::Write as _;

use liaison_proto::Precedence;
use rusqlite::types::Value;

use super::error::{ArchiveError, SearchError};
use super::highest::highest_label;
use super::index::index_pending;
use super::provenance::ChannelOrigin;
use super::query::{SearchOrder, SearchQuery};
use super::snippet::{Markers, SNIPPET_TOKENS, plain_excerpt};
use crate::engine::{ChannelId, Engine, MESSAGE_COLUMNS, StoredMessage, read_stored_message};
use liaison_rules::{Label, PolicyRegistry};

/// Columns before the message's in a result row: group id, channel name,
/// channel origin.
const LEAD_COLUMNS: usize = 3;
/// Columns of the message itself ([`MESSAGE_COLUMNS`]).
const MESSAGE_COLUMN_COUNT: usize = 17;
/// How many of the most recent matches relevance order ranks.
pub const RELEVANCE_WINDOW: u32 = 2_000;

/// One message found.
#[derive(Debug, Clone)]
pub struct SearchHit {
    /// The channel it is in.
    pub channel: ChannelId,
    /// The channel's partnership name.
    pub channel_name: String,
    /// Whether the channel is live or imported.
    pub channel_origin: ChannelOrigin,
    /// The message, with its label, portion marking and verification state.
    pub message: StoredMessage,
    /// The body around the match, matched words between U+0002 and U+0003
    /// (the start of the body when the search had no words).
    pub snippet: String,
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The messages found, in the query's order.
    pub hits: Vec<SearchHit>,
    /// The highest label among the hits, for the results banner
    /// ([`super::highest_label`]); `None` when nothing was found.
    pub highest: Option<Label>,
}

/// Which levels a classification name stands for, per label policy.
struct ClassFilter {
    ranks: Vec<(String, usize)>,
}

impl ClassFilter {
    /// The levels an officer means by `name`: a full name or a portion
    /// abbreviation (`NS`), in any case.
    fn resolve(name: &str, registry: &PolicyRegistry) -> Result<Self, SearchError> {
        let ranks: Vec<(String, usize)> = registry
            .iter()
            .filter_map(|policy| {
                policy
                    .level_as_typed(name)
                    .map(|level| (policy.id().to_owned(), level.rank()))
            })
            .collect();
        if ranks.is_empty() {
            return Err(SearchError::UnknownClassification(name.to_owned()));
        }
        Ok(Self { ranks })
    }

    /// SQL can only filter on the rank column; two policies may give one
    /// rank to different levels, so each hit's label is checked as well.
    fn admits(&self, label: &Label) -> bool {
        self.ranks
            .iter()
            .any(|(policy, rank)| policy == label.policy_id() && *rank == label.rank())
    }
}

/// The SQL text and parameters of one search, before paging.
struct Statement {
    sql: String,
    params: Vec<Value>,
}

fn to_sql_int(value: u64) -> Value {
    Value::Integer(i64::try_from(value).unwrap_or(i64::MAX))
}

/// The filters of a query as SQL conditions on `messages m`, appended to
/// `params`.
fn filters(query: &SearchQuery, classes: Option<&ClassFilter>, params: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    let mut bind = |sql: &mut String, clause: &str, value: Value| {
        params.push(value);
        let _ = write!(sql, " AND {clause} ?{}", params.len());
    };
    if let Some(channel) = &query.channel {
        bind(&mut sql, "m.group_id =", Value::Blob(channel.0.clone()));
    }
    if let Some(sender) = &query.sender {
        bind(&mut sql, "m.sender_id =", Value::Text(sender.clone()));
    }
    if let Some(precedence) = query.precedence {
        bind(&mut sql, "m.precedence =", precedence_value(precedence));
    }
    if let Some(from) = query.from_ms {
        bind(&mut sql, "m.sent_at_ms >=", to_sql_int(from));
    }
    if let Some(to) = query.to_ms {
        bind(&mut sql, "m.sent_at_ms <=", to_sql_int(to));
    }
    if let Some(classes) = classes {
        let mut ranks: Vec<usize> = classes.ranks.iter().map(|(_, rank)| *rank).collect();
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

/// The statement of a search; its last two parameters (limit and offset)
/// are added per page.
fn build(query: &SearchQuery, classes: Option<&ClassFilter>, markers: &Markers) -> Statement {
    let mut params: Vec<Value> = Vec::new();
    let columns = format!("m.group_id, c.name, c.origin, {MESSAGE_COLUMNS}");
    if query.text.is_empty() {
        let conditions = filters(query, classes, &mut params);
        let (limit, offset) = (params.len() + 1, params.len() + 2);
        let sql = format!(
            "SELECT {columns}, NULL FROM messages m JOIN channels c ON c.group_id = m.group_id \
             WHERE 1 = 1{conditions} ORDER BY m.id DESC LIMIT ?{limit} OFFSET ?{offset}"
        );
        return Statement { sql, params };
    }
    params.push(Value::Text(markers.open.clone()));
    params.push(Value::Text(markers.close.clone()));
    params.push(Value::Text(query.text.fts_expression()));
    let conditions = filters(query, classes, &mut params);
    let (limit, offset) = (params.len() + 1, params.len() + 2);
    let snippet = format!("snippet(messages_fts, 0, ?1, ?2, '…', {SNIPPET_TOKENS})");
    // CROSS JOIN keeps the index as the outer loop: the planner must never
    // scan `messages` and probe the index row by row. FTS5 hands rows out in
    // row-id order, so newest first stops after `limit` rows.
    let sql = match query.order {
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
    Statement { sql, params }
}

fn precedence_value(precedence: Precedence) -> Value {
    Value::Integer(i64::from(precedence.code()))
}

impl Engine {
    /// Searches every channel of this profile, live, archived and imported.
    ///
    /// Words must all match (see [`super::SearchText`]); filters narrow by
    /// channel, sender, classification, precedence and sending date. Results
    /// come in the query's [`SearchOrder`], at most its limit, each with its
    /// label, portion marking, verification state and a snippet, plus the
    /// highest label among them.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, ArchiveError> {
        if query.text.is_empty() && !query.has_filter() {
            return Err(SearchError::Empty.into());
        }
        let classes = query
            .classification
            .as_deref()
            .map(|name| ClassFilter::resolve(name, self.registry()))
            .transpose()?;
        let markers = Markers::generate()?;
        let statement = build(query, classes.as_ref(), &markers);
        let conn = self.store().connection();
        index_pending(conn)?;
        let mut prepared = conn.prepare(&statement.sql)?;
        let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
        let mut hits: Vec<SearchHit> = Vec::with_capacity(limit.min(64));
        let mut offset: i64 = 0;
        // One page is enough unless the classification check drops rows
        // the rank filter let through.
        loop {
            let mut params = statement.params.clone();
            params.push(Value::Integer(i64::from(query.limit)));
            params.push(Value::Integer(offset));
            let mut rows = prepared.query(rusqlite::params_from_iter(params))?;
            let mut fetched: i64 = 0;
            while let Some(row) = rows.next()? {
                fetched += 1;
                let hit = self.read_hit(row, &markers)?;
                if classes
                    .as_ref()
                    .is_none_or(|c| c.admits(&hit.message.label))
                {
                    hits.push(hit);
                    if hits.len() == limit {
                        break;
                    }
                }
            }
            if hits.len() == limit || fetched < i64::from(query.limit) {
                break;
            }
            offset += fetched;
        }
        let highest = highest_label(hits.iter().map(|h| &h.message.label)).cloned();
        Ok(SearchResults { hits, highest })
    }

    fn read_hit(
        &self,
        row: &rusqlite::Row<'_>,
        markers: &Markers,
    ) -> Result<SearchHit, ArchiveError> {
        let channel = ChannelId(row.get(0)?);
        let channel_name: String = row.get(1)?;
        let channel_origin = ChannelOrigin::parse(&row.get::<_, String>(2)?)?;
        let own = (channel_origin == ChannelOrigin::Live).then_some(self.officer_id());
        let message = read_stored_message(row, LEAD_COLUMNS, &channel, self.registry(), own)?;
        let raw: Option<String> = row.get(LEAD_COLUMNS + MESSAGE_COLUMN_COUNT)?;
        let snippet = match raw {
            Some(raw) => markers.finish(&raw),
            None => plain_excerpt(&message.body),
        };
        Ok(SearchHit {
            channel,
            channel_name,
            channel_origin,
            message,
            snippet,
        })
    }
}
