use super::{KEY, new_store, scratch};
use crate::store::migrations::{self, MIGRATIONS, Migration};
use crate::store::{DeviceKeySeed, StoreError, danger};

fn table_names(store: &crate::Store) -> Vec<String> {
    let mut statement = store
        .connection()
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn empty_file_is_migrated_to_the_latest_schema() {
    let (_dir, path) = scratch();
    std::fs::write(&path, b"").unwrap();

    let store = danger::open_with_raw_key(&path, &KEY).unwrap();

    assert_eq!(
        store.schema_version().unwrap(),
        migrations::latest(MIGRATIONS)
    );
    let tables = table_names(&store);
    for table in [
        "audit",
        "profile",
        "openmls_group_data",
        "openmls_key_packages",
    ] {
        assert!(
            tables.iter().any(|t| t == table),
            "{table} missing from {tables:?}"
        );
    }
}

#[test]
fn reopening_changes_neither_schema_nor_data() {
    let (_dir, store) = new_store();
    store
        .save_profile("GBR-0042", b"chain", &DeviceKeySeed::new([1; 32]))
        .unwrap();
    let path = store.path().to_owned();
    let tables = table_names(&store);
    store.close().unwrap();

    for _ in 0..2 {
        let store = danger::open_with_raw_key(&path, &KEY).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            migrations::latest(MIGRATIONS)
        );
        assert_eq!(table_names(&store), tables);
        assert_eq!(store.profile().unwrap().unwrap().officer_id, "GBR-0042");
        store.close().unwrap();
    }
}

#[test]
fn database_newer_than_the_code_is_refused() {
    let (_dir, store) = new_store();
    let newer = migrations::latest(MIGRATIONS) + 1;
    store
        .connection()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let path = store.path().to_owned();
    store.close().unwrap();

    let result = danger::open_with_raw_key(&path, &KEY);

    match result {
        Err(StoreError::NewerSchema { found, supported }) => {
            assert_eq!((found, supported), (newer, migrations::latest(MIGRATIONS)));
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}

#[test]
fn later_migrations_apply_in_order_on_an_existing_store() {
    let (_dir, mut store) = new_store();
    let mut list = MIGRATIONS.to_vec();
    let next = migrations::latest(MIGRATIONS);
    list.push(Migration {
        version: next + 1,
        sql: "CREATE TABLE later (a INTEGER);",
    });
    list.push(Migration {
        version: next + 2,
        sql: "ALTER TABLE later ADD COLUMN b INTEGER;",
    });

    let version = migrations::apply(&mut store.conn, &list).unwrap();

    assert_eq!(version, next + 2);
    assert_eq!(store.schema_version().unwrap(), next + 2);
    store
        .connection()
        .execute("INSERT INTO later (a, b) VALUES (1, 2)", [])
        .unwrap();
}

#[test]
fn failed_migration_leaves_the_schema_at_its_previous_version() {
    let (_dir, mut store) = new_store();
    let before = migrations::latest(MIGRATIONS);
    let mut list = MIGRATIONS.to_vec();
    list.push(Migration {
        version: before + 1,
        sql: "CREATE TABLE half_done (a INTEGER); INSERT INTO no_such_table VALUES (1);",
    });

    let result = migrations::apply(&mut store.conn, &list);

    assert!(
        matches!(result, Err(StoreError::Migration { version, .. }) if version == before + 1),
        "{result:?}"
    );
    assert_eq!(store.schema_version().unwrap(), before);
    assert!(!table_names(&store).iter().any(|t| t == "half_done"));
    assert!(
        store.connection().is_autocommit(),
        "no transaction left open"
    );
}

#[test]
fn migration_versions_count_up_from_one_without_gaps() {
    for (index, migration) in MIGRATIONS.iter().enumerate() {
        assert_eq!(usize::try_from(migration.version).unwrap(), index + 1);
    }
}

/// Every `migrations/client/NNNN_*.sql` file is embedded, and nothing else.
#[test]
fn every_migration_file_is_in_the_list() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/client");
    let mut files: Vec<(u32, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let number = name.split('_').next().unwrap().parse().unwrap();
            let sql = std::fs::read_to_string(dir.join(&name)).unwrap();
            (number, sql)
        })
        .collect();
    files.sort();
    let embedded: Vec<(u32, String)> = MIGRATIONS
        .iter()
        .map(|m| (m.version, m.sql.to_owned()))
        .collect();
    assert_eq!(files, embedded);
}

/// Rows written before audit facts existed (version 10) keep their detail
/// and read back without facts; rows written after carry theirs.
#[test]
fn audit_rows_from_before_facts_keep_their_detail() {
    use crate::audit::AuditEvent;
    use crate::store::tables::audit;
    use crate::store::{AuditQuery, AuditScope};

    let (_dir, path) = scratch();
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    crate::store::open::configure(&conn).unwrap();
    let before_facts: Vec<Migration> = MIGRATIONS.iter().copied().take(10).collect();
    assert_eq!(migrations::apply(&mut conn, &before_facts).unwrap(), 10);
    conn.execute(
        "INSERT INTO audit (at, group_id, event, detail) VALUES (1700000000000, x'aa', 'commit.merged', 'epoch 5')",
        [],
    )
    .unwrap();

    migrations::apply(&mut conn, MIGRATIONS).unwrap();
    let old = audit::read(&conn, &AuditQuery::newest(AuditScope::All, 10)).unwrap();
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].event, "commit.merged");
    assert_eq!(old[0].detail, "epoch 5");
    assert_eq!(old[0].facts, None);
    assert_eq!(old[0].group_id.as_deref(), Some(&[0xaa][..]));

    let event = AuditEvent::ForkSettled { epoch: 6 };
    conn.execute(
        "INSERT INTO audit (at, group_id, event, detail, facts) VALUES (1700000000001, NULL, ?1, ?2, ?3)",
        rusqlite::params![event.kind(), event.to_string(), event.facts().to_json()],
    )
    .unwrap();
    let both = audit::read(&conn, &AuditQuery::newest(AuditScope::All, 10)).unwrap();
    assert_eq!(
        both[0].facts.as_ref().and_then(|f| f.number("epoch")),
        Some(6)
    );
    assert_eq!(both[1].facts, None);
}

/// Inserts a message row by SQL, as a store of any schema since 0003 holds it.
fn insert_message(conn: &rusqlite::Connection, id: i64, sender: &str, precedence: i64, body: &str) {
    conn.execute(
        "INSERT INTO messages (id, group_id, message_id, seq, epoch, sender_id, sender_name,
             sender_nation, label, marking, rank, precedence, exercise, body, sent_at_ms,
             received_at_ms, envelope, signature, sender_chain)
         VALUES (?1, x'0a0b', ?2, ?1, 1, ?3, 'N', 'GBR', x'00', '(NU)', 0, ?4, 0, ?5, ?1, ?1,
             x'00', x'00', x'00')",
        rusqlite::params![id, id.to_be_bytes().to_vec(), sender, precedence, body],
    )
    .unwrap();
}

/// Row ids the index hands out for an FTS5 expression.
fn fts_rows(conn: &rusqlite::Connection, expression: &str) -> Vec<i64> {
    let mut statement = conn
        .prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1 ORDER BY rowid")
        .unwrap();
    statement
        .query_map([expression], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn search_facets_migration_reindexes_existing_messages_with_their_filters() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    let before_facets = MIGRATIONS.iter().position(|m| m.version == 12).unwrap();
    migrations::apply(&mut conn, &MIGRATIONS[..before_facets]).unwrap();
    conn.execute(
        "INSERT INTO channels (group_id, name, policy, joined_at) VALUES (x'0a0b', 'c', x'00', 0)",
        [],
    )
    .unwrap();
    insert_message(&conn, 1, "gbr.smith", 0, "convoy at K7");
    insert_message(&conn, 2, "fra.martin", 3, "convoy rerouted");
    // Indexed under the old schema, as a search would have left it.
    conn.execute("DELETE FROM messages_fts_pending", [])
        .unwrap();
    conn.execute(
        "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')",
        [],
    )
    .unwrap();

    migrations::apply(&mut conn, MIGRATIONS).unwrap();

    let martin = format!("s{}", hex::encode("fra.martin"));
    assert_eq!(fts_rows(&conn, "{body} : (convoy)"), [1, 2]);
    assert_eq!(
        fts_rows(&conn, "{body} : (convoy) AND {facets} : (p3)"),
        [2]
    );
    assert_eq!(
        fts_rows(
            &conn,
            &format!("{{body}} : (convoy) AND {{facets}} : ({martin})")
        ),
        [2]
    );
    assert_eq!(
        fts_rows(&conn, "{body} : (conv*) AND {facets} : (g0a0b)"),
        [1, 2]
    );
    // A word the officer types never matches a facet token.
    assert!(fts_rows(&conn, "{body} : (p3)").is_empty());

    // The facets follow the row: changed, the index changes; deleted, it forgets.
    conn.execute("UPDATE messages SET precedence = 1 WHERE id = 2", [])
        .unwrap();
    conn.execute(
        "INSERT INTO messages_fts (rowid, body, facets)
         SELECT s.id, s.body, s.facets FROM messages_fts_pending p
         JOIN messages_fts_source s ON s.id = p.id",
        [],
    )
    .unwrap();
    conn.execute("DELETE FROM messages_fts_pending", [])
        .unwrap();
    assert!(fts_rows(&conn, "{facets} : (p3)").is_empty());
    assert_eq!(fts_rows(&conn, "{facets} : (p1)"), [2]);
    conn.execute("DELETE FROM messages WHERE id = 2", [])
        .unwrap();
    assert!(fts_rows(&conn, "{facets} : (p1)").is_empty());
    assert_eq!(fts_rows(&conn, "{body} : (convoy)"), [1]);
}
