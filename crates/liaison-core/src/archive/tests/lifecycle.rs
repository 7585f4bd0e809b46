//! Archived channels are read-only; history survives leaving or removal
//! unless the policy purges it, and the index follows.

use liaison_proto::MessageId;

use super::fixture::{identity, nation, officer, policy};
use crate::archive::{ChannelOrigin, SearchQuery};
use crate::channel::EngineError;
use crate::delivery::LoopbackRelay;
use crate::engine::{ChannelId, Draft};
use crate::store::AuditScope;
use liaison_rules::HistoryOnRemoval;

/// How many index entries hold `term` (fts5vocab over the live index).
fn indexed(engine: &crate::engine::Engine, term: &str) -> i64 {
    let conn = engine.store().connection();
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, messages_fts, row)",
    )
    .unwrap();
    conn.query_row(
        "SELECT coalesce(sum(cnt), 0) FROM temp.vocab WHERE term = ?1",
        [term],
        |row| row.get(0),
    )
    .unwrap()
}

#[test]
fn archived_channel_refuses_sends_and_admin_actions() {
    let gbr = nation("GBR");
    let me = identity(&gbr, "gbr.smith", "NATO SECRET");
    let mut officer = officer(&me, None);
    let channel = officer
        .engine
        .create_channel(policy("Cell", &["gbr.smith"], &[&gbr]))
        .unwrap();
    let sent = officer
        .engine
        .send(&channel, Draft::text("Checkpoint K7 closed"))
        .unwrap();

    officer.engine.archive_channel(&channel).unwrap();
    officer.engine.archive_channel(&channel).unwrap();

    let refused = |result: Result<(), EngineError>, what: &str| {
        assert!(
            matches!(result, Err(EngineError::ReadOnly)),
            "{what}: {result:?}"
        );
    };
    let engine = &mut officer.engine;
    refused(
        engine.send(&channel, Draft::text("more")).map(|_| ()),
        "send",
    );
    refused(engine.acknowledge(&channel, sent), "acknowledge");
    refused(engine.add_members(&channel, &[]).map(|_| ()), "add");
    refused(
        engine.remove_members(&channel, &["fra.martin"]).map(|_| ()),
        "remove",
    );
    refused(
        engine.set_admin(&channel, "gbr.jones", true).map(|_| ()),
        "promote",
    );
    let policy = engine.policy(&channel).unwrap();
    refused(engine.change_policy(&channel, policy).map(|_| ()), "policy");
    refused(engine.leave(&channel).map(|_| ()), "leave");

    let summary = &engine.channels().unwrap()[0];
    assert!(summary.archived);
    assert_eq!(summary.origin, ChannelOrigin::Live);
    assert_eq!(engine.messages(&channel).unwrap().len(), 1);
    let hits = engine
        .search(&SearchQuery::new("K7").unwrap())
        .unwrap()
        .hits;
    assert_eq!(hits.len(), 1);
    let archived = engine
        .store()
        .audit_log(AuditScope::Group(&channel.0), None, 50)
        .unwrap()
        .into_iter()
        .filter(|e| e.event == "channel.archived")
        .count();
    assert_eq!(archived, 1, "archiving twice records it once");
    assert!(matches!(
        engine.archive_channel(&ChannelId(vec![9; 16])),
        Err(EngineError::UnknownChannel)
    ));
}

/// A GBR admin and a FRA officer in one channel; the admin says something,
/// then removes the FRA officer.
fn removal(history: HistoryOnRemoval) -> (super::fixture::Officer, ChannelId, MessageId) {
    let relay = LoopbackRelay::new();
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let mut admin = officer(&identity(&gbr, "gbr.admin", "NATO SECRET"), Some(&relay));
    let mut fr = officer(&identity(&fra, "fra.officer", "NATO SECRET"), Some(&relay));
    let policy = policy("Cell", &["gbr.admin"], &[&gbr, &fra]).with_retention(None, history);
    let channel = admin.engine.create_channel(policy).unwrap();
    admin.add(&channel, &["fra.officer"]);
    fr.sync();
    let said = admin
        .engine
        .send(&channel, Draft::text("Ferry crossing postponed to Tuesday"))
        .unwrap();
    admin.flush();
    fr.sync();
    assert_eq!(fr.engine.messages(&channel).unwrap().len(), 1);
    let found = fr
        .engine
        .search(&SearchQuery::new("ferry").unwrap())
        .unwrap();
    assert_eq!(found.hits.len(), 1);
    assert!(
        indexed(&fr.engine, "ferry") > 0,
        "indexed before the removal"
    );
    admin
        .engine
        .remove_members(&channel, &["fra.officer"])
        .unwrap();
    admin.flush();
    fr.sync();
    assert!(!fr.engine.channels().unwrap()[0].active);
    (fr, channel, said)
}

#[test]
fn removed_member_keeps_history_readable_searchable_and_read_only() {
    let (mut fr, channel, said) = removal(HistoryOnRemoval::Keep);
    let messages = fr.engine.messages(&channel).unwrap();
    assert_eq!(messages[0].message_id, said);
    let hits = fr
        .engine
        .search(&SearchQuery::new("ferry").unwrap())
        .unwrap()
        .hits;
    assert_eq!(hits.len(), 1);
    assert!(indexed(&fr.engine, "ferry") > 0);
    assert!(matches!(
        fr.engine.send(&channel, Draft::text("still here?")),
        Err(EngineError::ReadOnly)
    ));
    let policy = fr.engine.stored_policy(&channel).unwrap();
    assert_eq!(policy.history_on_removal(), HistoryOnRemoval::Keep);
}

#[test]
fn purge_on_removal_deletes_history_from_table_and_index() {
    let (fr, channel, _) = removal(HistoryOnRemoval::Purge);
    assert!(fr.engine.messages(&channel).unwrap().is_empty());
    let hits = fr
        .engine
        .search(&SearchQuery::new("ferry").unwrap())
        .unwrap()
        .hits;
    assert!(hits.is_empty());
    assert_eq!(
        indexed(&fr.engine, "ferry"),
        0,
        "no trace left in the index"
    );
}

#[test]
fn message_position_is_the_index_in_the_thread() {
    let gbr = nation("GBR");
    let mut officer = officer(&identity(&gbr, "gbr.smith", "NATO SECRET"), None);
    let channel = officer
        .engine
        .create_channel(policy("Cell", &["gbr.smith"], &[&gbr]))
        .unwrap();
    let ids: Vec<MessageId> = (0..3)
        .map(|i| {
            officer
                .engine
                .send(&channel, Draft::text(format!("message {i}")))
                .unwrap()
        })
        .collect();
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            officer.engine.message_position(&channel, *id).unwrap(),
            Some(u64::try_from(i).unwrap())
        );
    }
    assert_eq!(
        officer
            .engine
            .message_position(&channel, MessageId([0; 16]))
            .unwrap(),
        None
    );
}
