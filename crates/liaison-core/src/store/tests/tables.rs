//! The query plans of the `messages` reads the desktop's thread view and
//! channel list run on every channel: from indexes, never a read of every
//! row (migrations 0004 and 0006). Moved here from liaison-desk's thread
//! test with the queries, assertions unchanged.

use super::new_store;
use crate::store::tables::messages::{
    AWAITING_ACK_SQL, AWAITING_PRECEDENCE_SQL, PAGE_SQL, UNREAD_SQL,
};

/// The steps of `sql`'s query plan, its `params` parameters bound to 0.
fn query_plan(conn: &rusqlite::Connection, sql: &str, params: usize) -> Vec<String> {
    let zeros = vec![0; params];
    conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap()
        .query_map(rusqlite::params_from_iter(zeros), |row| row.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn thread_pages_unread_counts_and_awaited_acks_come_from_indexes() {
    let (_dir, store) = new_store();
    let conn = store.connection();
    let plan = query_plan(conn, PAGE_SQL, 3);
    // Either index that starts with (group_id, thread_index) serves a
    // page: a range search on the position, no sort.
    assert!(
        plan.iter()
            .any(|step| step.contains("USING INDEX messages_by_thread_index")
                || step.contains("USING INDEX messages_unread")),
        "{plan:?}"
    );
    assert!(
        plan.iter()
            .any(|step| step.contains("thread_index>? AND thread_index<?")),
        "{plan:?}"
    );
    assert!(
        !plan.iter().any(|step| step.contains("TEMP B-TREE")),
        "{plan:?}"
    );
    assert!(
        !plan.iter().any(|step| step.starts_with("SCAN")),
        "{plan:?}"
    );
    // What the channel list asks of every channel.
    let unread = query_plan(conn, UNREAD_SQL, 3);
    assert!(
        unread
            .iter()
            .any(|step| step.contains("USING COVERING INDEX messages_unread")),
        "{unread:?}"
    );
    for sql in [AWAITING_PRECEDENCE_SQL, AWAITING_ACK_SQL] {
        let plan = query_plan(conn, sql, 2);
        assert!(
            plan.iter()
                .any(|step| step.contains("USING INDEX messages_asking_ack")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|step| step.starts_with("SCAN m")),
            "{plan:?}"
        );
    }
}
