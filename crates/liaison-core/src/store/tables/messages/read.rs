//! Reading `messages` rows: whole rows for the history, the thread pages
//! and search, and the narrow reads the channel list, notifications,
//! replies, exports and the send path need. Each query is answered from
//! the indexes its comment names (migrations 0003, 0004 and 0006).

use rusqlite::{Connection, OptionalExtension as _, Row, params};

use super::{to_i64, to_u64};

/// The columns [`MessageRecord::read`] reads, in its order, for a query
/// that names the table `m` (a macro, so that queries built on it are
/// constants).
macro_rules! record_columns {
    () => {
        "m.thread_index, m.message_id, m.seq, m.epoch, m.sender_id, m.sender_name, \
         m.sender_nation, m.label, m.marking, m.precedence, m.exercise, m.body, m.ref_kind, \
         m.ref_id, m.sent_at_ms, m.received_at_ms, m.verification, \
         coalesce(substr(m.envelope, 1, 1) != x'01', 0)"
    };
}
pub(super) use record_columns;

/// How many columns [`record_columns`] names.
pub(super) const RECORD_COLUMN_COUNT: usize = 18;

/// A message row as stored, every column a reader shows (not the signed
/// envelope itself). Labels, precedence and references stay encoded: the
/// engine decodes them against its policy registry.
#[derive(Debug, Clone)]
pub(crate) struct MessageRecord {
    /// Position in the channel's thread.
    pub(crate) thread_index: u64,
    /// Sender-chosen identifier (16 bytes in a sound store).
    pub(crate) message_id: Vec<u8>,
    /// Relay order, once known.
    pub(crate) seq: Option<u64>,
    /// MLS epoch it was sent in.
    pub(crate) epoch: u64,
    /// Sender's officer identifier.
    pub(crate) sender_id: String,
    /// Sender's display name.
    pub(crate) sender_name: String,
    /// Sender's nationality.
    pub(crate) sender_nation: String,
    /// The label's canonical bytes.
    pub(crate) label: Vec<u8>,
    /// The portion marking.
    pub(crate) marking: String,
    /// Precedence code.
    pub(crate) precedence: u8,
    /// Exercise traffic.
    pub(crate) exercise: bool,
    /// The text.
    pub(crate) body: String,
    /// Reference kind code, when the message refers to another.
    pub(crate) ref_kind: Option<u8>,
    /// The referred message's identifier.
    pub(crate) ref_id: Option<Vec<u8>>,
    /// Sender's clock.
    pub(crate) sent_at_ms: u64,
    /// Our clock at receipt.
    pub(crate) received_at_ms: u64,
    /// Stored verification state.
    pub(crate) verification: String,
    /// Whether the envelope's signature covers channel and epoch (not a
    /// version 1 envelope).
    pub(crate) context_signed: bool,
}

impl MessageRecord {
    /// Reads [`record_columns`] from column `first` on.
    pub(super) fn read(row: &Row<'_>, first: usize) -> rusqlite::Result<Self> {
        let column = |i: usize| first + i;
        Ok(Self {
            thread_index: to_u64(row.get(column(0))?),
            message_id: row.get(column(1))?,
            seq: row.get::<_, Option<i64>>(column(2))?.map(to_u64),
            epoch: to_u64(row.get(column(3))?),
            sender_id: row.get(column(4))?,
            sender_name: row.get(column(5))?,
            sender_nation: row.get(column(6))?,
            label: row.get(column(7))?,
            marking: row.get(column(8))?,
            precedence: row.get(column(9))?,
            exercise: row.get(column(10))?,
            body: row.get(column(11))?,
            ref_kind: row.get(column(12))?,
            ref_id: row.get(column(13))?,
            sent_at_ms: to_u64(row.get(column(14))?),
            received_at_ms: to_u64(row.get(column(15))?),
            verification: row.get(column(16))?,
            context_signed: row.get(column(17))?,
        })
    }
}

/// Every message of a channel, in thread order.
pub(crate) fn thread(conn: &Connection, group_id: &[u8]) -> rusqlite::Result<Vec<MessageRecord>> {
    let mut stmt = conn.prepare(concat!(
        "SELECT ",
        record_columns!(),
        " FROM messages m WHERE m.group_id = ?1 ORDER BY m.thread_index"
    ))?;
    let rows = stmt.query_map([group_id], |row| MessageRecord::read(row, 0))?;
    rows.collect()
}

/// One message of a channel, by identifier.
pub(crate) fn by_id(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8],
) -> rusqlite::Result<Option<MessageRecord>> {
    conn.prepare_cached(concat!(
        "SELECT ",
        record_columns!(),
        " FROM messages m WHERE m.group_id = ?1 AND m.message_id = ?2"
    ))?
    .query_row(params![group_id, message_id], |row| {
        MessageRecord::read(row, 0)
    })
    .optional()
}

/// A page of a thread: one range scan of `(group_id, thread_index)`.
pub(crate) const PAGE_SQL: &str = concat!(
    "SELECT ",
    record_columns!(),
    " FROM messages m WHERE m.group_id = ?1 AND m.thread_index >= ?2 AND m.thread_index < ?3 \
     ORDER BY m.thread_index"
);

/// The messages at thread positions `[start, end)`.
pub(crate) fn page(
    conn: &Connection,
    group_id: &[u8],
    start: u64,
    end: u64,
) -> rusqlite::Result<Vec<MessageRecord>> {
    let mut stmt = conn.prepare_cached(PAGE_SQL)?;
    let rows = stmt.query_map(params![group_id, to_i64(start), to_i64(end)], |row| {
        MessageRecord::read(row, 0)
    })?;
    rows.collect()
}

/// Messages in a thread: one index seek.
pub(crate) fn thread_length(conn: &Connection, group_id: &[u8]) -> rusqlite::Result<u64> {
    let max: Option<i64> = conn
        .prepare_cached("SELECT max(thread_index) FROM messages WHERE group_id = ?1")?
        .query_row([group_id], |row| row.get(0))?;
    Ok(max.map_or(0, |m| to_u64(m).saturating_add(1)))
}

/// When the last message of the thread was received.
pub(crate) fn last_received_at(
    conn: &Connection,
    group_id: &[u8],
) -> rusqlite::Result<Option<u64>> {
    let at: Option<i64> = conn
        .prepare_cached(
            "SELECT received_at_ms FROM messages WHERE group_id = ?1
             ORDER BY thread_index DESC LIMIT 1",
        )?
        .query_row([group_id], |row| row.get(0))
        .optional()?;
    Ok(at.map(to_u64))
}

/// Messages from others past the read marker: answered from the index
/// `messages_unread` alone (migration 0006), never by reading rows.
pub(crate) const UNREAD_SQL: &str = "SELECT count(*) FROM messages
     WHERE group_id = ?1 AND thread_index > ?2 AND sender_id != ?3";

/// Messages not sent by `officer_id` at positions after `read_up_to`
/// (-1 when nothing was read).
pub(crate) fn unread(
    conn: &Connection,
    group_id: &[u8],
    read_up_to: i64,
    officer_id: &str,
) -> rusqlite::Result<u64> {
    let count: i64 = conn
        .prepare_cached(UNREAD_SQL)?
        .query_row(params![group_id, read_up_to, officer_id], |row| row.get(0))?;
    Ok(to_u64(count))
}

/// Others' IMMEDIATE and FLASH messages this officer has not acknowledged.
/// `precedence >= 2` is spelled as a literal so that SQLite uses the
/// partial index `messages_asking_ack` (migration 0006) instead of reading
/// every row of the channel.
pub(crate) const AWAITING_ACK_SQL: &str = "SELECT m.message_id FROM messages m
     WHERE m.group_id = ?1 AND m.precedence >= 2 AND m.sender_id != ?2
       AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.group_id = m.group_id
                       AND a.message_id = m.message_id AND a.officer_id = ?2)
     ORDER BY m.id";

/// The identifiers of others' messages asking an acknowledgement that
/// `officer_id` has not given, oldest first.
pub(crate) fn awaiting_ack(
    conn: &Connection,
    group_id: &[u8],
    officer_id: &str,
) -> rusqlite::Result<Vec<Vec<u8>>> {
    let mut stmt = conn.prepare_cached(AWAITING_ACK_SQL)?;
    let rows = stmt.query_map(params![group_id, officer_id], |row| row.get(0))?;
    rows.collect()
}

/// The highest precedence among others' messages this officer has not
/// acknowledged. The literal 2 (IMMEDIATE) lets SQLite use the partial
/// index `messages_asking_ack` (migration 0006).
pub(crate) const AWAITING_PRECEDENCE_SQL: &str = "SELECT max(m.precedence) FROM messages m
     WHERE m.group_id = ?1 AND m.precedence >= 2 AND m.sender_id != ?2
       AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.group_id = m.group_id
                       AND a.message_id = m.message_id AND a.officer_id = ?2)";

/// The highest precedence code among the messages [`awaiting_ack`] lists.
pub(crate) fn awaiting_precedence(
    conn: &Connection,
    group_id: &[u8],
    officer_id: &str,
) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached(AWAITING_PRECEDENCE_SQL)?
        .query_row(params![group_id, officer_id], |row| row.get(0))
}

/// The display name an officer sent a message of the channel under.
pub(crate) fn sender_name(
    conn: &Connection,
    group_id: &[u8],
    officer_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT sender_name FROM messages WHERE group_id = ?1 AND sender_id = ?2 LIMIT 1",
    )?
    .query_row(params![group_id, officer_id], |row| row.get(0))
    .optional()
}

/// Who sent a message of the channel.
pub(crate) fn sender_id(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8],
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT sender_id FROM messages WHERE group_id = ?1 AND message_id = ?2")?
        .query_row(params![group_id, message_id], |row| row.get(0))
        .optional()
}

/// What a reply shows of the message it answers.
#[derive(Debug, Clone)]
pub(crate) struct ReplySource {
    /// The source's sender.
    pub(crate) sender_name: String,
    /// The source's text.
    pub(crate) body: String,
    /// The source's label bytes.
    pub(crate) label: Vec<u8>,
}

/// The sender, text and label of a message of the channel.
pub(crate) fn reply_source(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8],
) -> rusqlite::Result<Option<ReplySource>> {
    conn.prepare_cached(
        "SELECT sender_name, body, label FROM messages WHERE group_id = ?1 AND message_id = ?2",
    )?
    .query_row(params![group_id, message_id], |row| {
        Ok(ReplySource {
            sender_name: row.get(0)?,
            body: row.get(1)?,
            label: row.get(2)?,
        })
    })
    .optional()
}

/// What a notification says about a new message, with its channel's name.
#[derive(Debug, Clone)]
pub(crate) struct NoticeRow {
    /// The sender's officer identifier.
    pub(crate) sender_id: String,
    /// The sender's display name.
    pub(crate) sender_name: String,
    /// The portion marking.
    pub(crate) marking: String,
    /// Precedence code.
    pub(crate) precedence: u8,
    /// Exercise traffic.
    pub(crate) exercise: bool,
    /// The text.
    pub(crate) body: String,
    /// The channel's partnership name.
    pub(crate) channel_name: String,
}

/// The facts a notification needs about one message.
pub(crate) fn notice(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8],
) -> rusqlite::Result<Option<NoticeRow>> {
    conn.prepare_cached(
        "SELECT m.sender_id, m.sender_name, m.marking, m.precedence, m.exercise, m.body, c.name
         FROM messages m JOIN channels c ON c.group_id = m.group_id
         WHERE m.group_id = ?1 AND m.message_id = ?2",
    )?
    .query_row(params![group_id, message_id], |row| {
        Ok(NoticeRow {
            sender_id: row.get(0)?,
            sender_name: row.get(1)?,
            marking: row.get(2)?,
            precedence: row.get(3)?,
            exercise: row.get(4)?,
            body: row.get(5)?,
            channel_name: row.get(6)?,
        })
    })
    .optional()
}

/// The label bytes of a verified copy of a message, in any channel.
pub(crate) fn verified_label(
    conn: &Connection,
    message_id: &[u8],
) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.prepare_cached(
        "SELECT label FROM messages WHERE message_id = ?1 AND verification = 'verified' LIMIT 1",
    )?
    .query_row([message_id], |row| row.get(0))
    .optional()
}

/// The stored envelope and signature of a message (an error when the
/// channel holds no such message).
pub(crate) fn signed_envelope(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8],
) -> rusqlite::Result<(Vec<u8>, Vec<u8>)> {
    conn.query_row(
        "SELECT envelope, signature FROM messages WHERE group_id = ?1 AND message_id = ?2",
        params![group_id, message_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}

/// Where a message sits among its channel's messages in storage order
/// (the row id): how many came before it. `None` when the channel holds no
/// such message.
pub(crate) fn position_by_id(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8],
) -> rusqlite::Result<Option<u64>> {
    let row: Option<i64> = conn
        .prepare_cached("SELECT id FROM messages WHERE group_id = ?1 AND message_id = ?2")?
        .query_row(params![group_id, message_id], |row| row.get(0))
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let before: i64 = conn
        .prepare_cached("SELECT count(*) FROM messages WHERE group_id = ?1 AND id < ?2")?
        .query_row(params![group_id, row], |r| r.get(0))?;
    Ok(Some(to_u64(before)))
}

/// Messages of a channel sent in `[from_ms, to_ms]`.
pub(crate) fn count_sent_between(
    conn: &Connection,
    group_id: &[u8],
    from_ms: i64,
    to_ms: i64,
) -> rusqlite::Result<SentCount> {
    let (total, exercise): (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(exercise != 0), 0) FROM messages
         WHERE group_id = ?1 AND sent_at_ms BETWEEN ?2 AND ?3",
        params![group_id, from_ms, to_ms],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok(SentCount {
        total: to_u64(total),
        exercise: to_u64(exercise),
    })
}

/// How many messages a sent-time range holds ([`count_sent_between`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SentCount {
    /// Every message in the range.
    pub(crate) total: u64,
    /// The EXERCISE ones among them.
    pub(crate) exercise: u64,
}

/// The distinct label bytes of the messages sent in `[from_ms, to_ms]`.
pub(crate) fn labels_sent_between(
    conn: &Connection,
    group_id: &[u8],
    from_ms: i64,
    to_ms: i64,
) -> rusqlite::Result<Vec<Vec<u8>>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT label FROM messages WHERE group_id = ?1 AND sent_at_ms BETWEEN ?2 AND ?3",
    )?;
    let rows = stmt.query_map(params![group_id, from_ms, to_ms], |row| row.get(0))?;
    rows.collect()
}

/// A message as an archive carries it: what the sender signed and what
/// the relay and our clock added.
#[derive(Debug, Clone)]
pub(crate) struct SignedRow {
    /// Sender-chosen identifier.
    pub(crate) message_id: Vec<u8>,
    /// Relay order, once known.
    pub(crate) seq: Option<u64>,
    /// MLS epoch.
    pub(crate) epoch: u64,
    /// Our clock at receipt.
    pub(crate) received_at_ms: u64,
    /// The signed envelope.
    pub(crate) envelope: Vec<u8>,
    /// The sender's signature over it.
    pub(crate) signature: Vec<u8>,
    /// The sender's certificate chain.
    pub(crate) sender_chain: Vec<u8>,
}

/// Calls `visit` on each message sent in `[from_ms, to_ms]`, in thread
/// order, streaming (the rows are never all in memory).
pub(crate) fn for_each_signed_between<E: From<rusqlite::Error>>(
    conn: &Connection,
    group_id: &[u8],
    from_ms: i64,
    to_ms: i64,
    mut visit: impl FnMut(SignedRow) -> Result<(), E>,
) -> Result<(), E> {
    let mut stmt = conn.prepare(
        "SELECT message_id, seq, epoch, received_at_ms, envelope, signature, sender_chain
         FROM messages WHERE group_id = ?1 AND sent_at_ms BETWEEN ?2 AND ?3 ORDER BY thread_index",
    )?;
    let mut rows = stmt.query(params![group_id, from_ms, to_ms])?;
    while let Some(row) = rows.next()? {
        visit(SignedRow {
            message_id: row.get(0)?,
            seq: row.get::<_, Option<i64>>(1)?.map(to_u64),
            epoch: to_u64(row.get(2)?),
            received_at_ms: to_u64(row.get(3)?),
            envelope: row.get(4)?,
            signature: row.get(5)?,
            sender_chain: row.get(6)?,
        })?;
    }
    Ok(())
}
