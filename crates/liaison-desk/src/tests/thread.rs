//! Thread paging over a large channel: positions and page bounds (the
//! plans of the queries behind them are checked in liaison-core).

use super::harness::{anchors, cell_policy, exercise_request, nation, test_desk};
use crate::views::PrecedenceView;
use crate::{ErrorKind, SendRequest};

/// Rows copied from the first message, as a large history would hold.
const BULK: u32 = 20_000;

#[tokio::test]
async fn pages_of_a_large_thread_come_by_index_from_the_position_index() {
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    t.desk
        .create_exercise_profile(exercise_request("gbr.desk", "pw"))
        .await
        .unwrap();
    let shared = t.desk.shared().await.unwrap();
    let channel = shared
        .engine()
        .await
        .create_channel(cell_policy(&["gbr.desk"], &[&gbr]))
        .unwrap();
    let _ = anchors(&[&gbr]);
    let id = channel.to_hex();
    for body in ["first", "second"] {
        let sent = t
            .desk
            .send_message(SendRequest {
                channel_id: id.clone(),
                body: body.into(),
                marking: "NATO RESTRICTED//REL TO DEU, FRA, GBR".into(),
                precedence: PrecedenceView::Priority,
                exercise: false,
                reply_to: None,
            })
            .await
            .unwrap();
        // No relay: the message waits in the outbox.
        assert!(sent.pending);
    }
    {
        let engine = shared.engine().await;
        engine
            .store()
            .connection()
            .execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
                 INSERT INTO messages (group_id, message_id, seq, epoch, sender_id, sender_name,
                     sender_nation, label, marking, rank, precedence, exercise, body, ref_kind,
                     ref_id, sent_at_ms, received_at_ms, envelope, signature, sender_chain)
                 SELECT m.group_id, randomblob(16), i, m.epoch, 'fra.bulk', 'Bulk Sender', 'FRA',
                     m.label, m.marking, m.rank, m.precedence, m.exercise, 'bulk ' || i, NULL,
                     NULL, m.sent_at_ms, m.received_at_ms, m.envelope, m.signature, m.sender_chain
                 FROM n, messages m WHERE m.id = (SELECT min(id) FROM messages)",
                [BULK],
            )
            .unwrap();
        // The plans of the page, unread and acknowledgement queries are
        // checked beside the queries, in liaison-core's store tests.
    }
    // The unread count covers the bulk rows, none of ours.
    let listed = t.desk.list_channels().await.unwrap();
    let view = listed.iter().find(|c| c.id == id).unwrap();
    assert_eq!(view.unread, u64::from(BULK));
    let total = u64::from(BULK) + 2;
    let last = t.desk.thread_page(&id, total - 3, 50).await.unwrap();
    assert_eq!(last.total, total);
    assert_eq!(last.start, total - 3);
    let indices: Vec<u64> = last.messages.iter().map(|m| m.index).collect();
    assert_eq!(indices, [total - 3, total - 2, total - 1]);
    assert_eq!(last.messages[2].body, format!("bulk {BULK}"));
    let first = t.desk.thread_page(&id, 0, 2).await.unwrap();
    let bodies: Vec<&str> = first.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["first", "second"]);
    assert!(first.messages.iter().all(|m| m.mine && m.pending));
    let capped = t.desk.thread_page(&id, 0, 100_000).await.unwrap();
    assert_eq!(capped.messages.len(), 500);
    let beyond = t.desk.thread_page(&id, total + 10, 10).await.unwrap();
    assert!(beyond.messages.is_empty() && beyond.highest.is_none());
    let unknown = t.desk.thread_page("00ff", 0, 10).await.unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound);
    let garbage = t.desk.thread_page("not hex", 0, 10).await.unwrap_err();
    assert_eq!(garbage.to_app_error().field.as_deref(), Some("channelId"));
    // Every unread bulk message counts, the user's own do not.
    let listed = t.desk.list_channels().await.unwrap();
    assert_eq!(listed[0].unread, u64::from(BULK));
}
