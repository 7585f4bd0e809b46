//! Retention deletes from the table and the index, with an audit entry.

use std::time::SystemTime;

use liaison_proto::Precedence;
use rusqlite::params;

use super::fixture::{
    DAY_MS, DEFAULT, identity, label, message_id, nation, now_ms, officer, policy,
};
use crate::archive::SearchQuery;
use crate::store::AuditScope;
use liaison_rules::HistoryOnRemoval;

fn indexed(conn: &rusqlite::Connection, word: &str) -> i64 {
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, messages_fts, row)",
    )
    .unwrap();
    conn.query_row(
        "SELECT coalesce(sum(cnt), 0) FROM temp.vocab WHERE term = ?1",
        [word],
        |row| row.get(0),
    )
    .unwrap()
}

#[test]
fn retention_removes_old_messages_from_table_and_index() {
    let gbr = nation("GBR");
    let me = identity(&gbr, "gbr.smith", "NATO SECRET");
    let mut officer = officer(&me, None);
    let now = now_ms();
    let message = |body: &str, age_days: u64| {
        let mut m = me.bulk_message(
            message_id(),
            &label(DEFAULT),
            Precedence::Routine,
            body.to_owned(),
            now - age_days * DAY_MS,
        );
        m.received_at_ms = now - age_days * DAY_MS;
        m
    };
    let limited = policy("Thirty days", &["gbr.smith"], &[&gbr])
        .with_retention(Some(30), HistoryOnRemoval::Keep);
    let old = [
        message("Obsolete ferry timetable", 45),
        message("Obsolete ferry route", 31),
    ];
    let recent = [
        message("Current ferry timetable", 29),
        message("Fresh orders", 1),
    ];
    let all: Vec<_> = old.iter().chain(&recent).cloned().collect();
    let channel = officer.bulk_channel(&limited, &all);
    let unlimited = officer.bulk_channel(
        &policy("Forever", &["gbr.smith"], &[&gbr]),
        &[message("Obsolete but kept", 400)],
    );
    let conn = officer.engine.store().connection();
    conn.execute(
        "INSERT INTO acks (group_id, message_id, officer_id, at_ms) VALUES (?1, ?2, 'fra.martin', 0)",
        params![channel.0, old[0].message_id.as_slice()],
    )
    .unwrap();
    assert_eq!(indexed(conn, "obsolete"), 3);

    let report = officer.engine.enforce_retention(SystemTime::now()).unwrap();

    assert_eq!(report.channels_checked, 1);
    assert_eq!(report.messages(), 2);
    assert_eq!(report.deleted[0].channel, channel);
    assert_eq!(report.deleted[0].acknowledgements, 1);
    let bodies: Vec<String> = officer
        .engine
        .messages(&channel)
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(bodies, ["Current ferry timetable", "Fresh orders"]);
    assert_eq!(officer.engine.messages(&unlimited).unwrap().len(), 1);
    let conn = officer.engine.store().connection();
    assert_eq!(indexed(conn, "obsolete"), 1, "only the unlimited channel's");
    assert_eq!(indexed(conn, "route"), 0);
    let hits = officer
        .engine
        .search(&SearchQuery::new("obsolete").unwrap())
        .unwrap()
        .hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].channel, unlimited);
    let acks: i64 = conn
        .query_row("SELECT count(*) FROM acks", [], |row| row.get(0))
        .unwrap();
    assert_eq!(acks, 0);
    let audit = officer
        .engine
        .store()
        .audit_log(AuditScope::Group(&channel.0), None, 10)
        .unwrap();
    assert!(audit.iter().any(|e| e.event == "retention.deleted"
        && e.detail.starts_with("2 messages")
        && !e.detail.contains("ferry")));

    let again = officer.engine.enforce_retention(SystemTime::now()).unwrap();
    assert_eq!(again.messages(), 0, "nothing left to delete");
}
