use super::{KEY, fingerprint, new_store, scratch};
use crate::store::{StoreError, danger};

#[test]
fn created_store_reopens_with_its_key() {
    let (dir, store) = new_store();
    let path = store.path().to_owned();
    store.audit(None, "created", "test").unwrap();
    store.close().unwrap();

    let store = danger::open_with_raw_key(&path, &KEY).unwrap();
    let log = store.audit_log(crate::AuditScope::All, None, 10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].event, "created");
    drop(dir);
}

#[test]
fn database_file_is_not_plaintext_sqlite() {
    let (_dir, store) = new_store();
    store
        .audit(None, "marker-event", "plaintext-marker-detail")
        .unwrap();
    let path = store.path().to_owned();
    store.close().unwrap();

    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() >= 4096);
    assert!(!bytes.starts_with(b"SQLite format 3\0"));
    let needle = b"plaintext-marker-detail";
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn wrong_raw_key_is_refused_and_leaves_the_files_unchanged() {
    let (dir, store) = new_store();
    store.audit(None, "created", "test").unwrap();
    let path = store.path().to_owned();
    store.close().unwrap();
    let before = fingerprint(dir.path());

    let mut wrong = KEY;
    wrong[31] ^= 1;
    let result = danger::open_with_raw_key(&path, &wrong);

    assert!(matches!(result, Err(StoreError::WrongKey)), "{result:?}");
    assert_eq!(fingerprint(dir.path()), before);
}

#[test]
fn create_refuses_an_existing_file_and_leaves_it_alone() {
    let (dir, path) = scratch();
    std::fs::write(&path, b"someone else's data").unwrap();
    let before = fingerprint(dir.path());

    let result = danger::create_with_raw_key(&path, &KEY);

    assert!(
        matches!(result, Err(StoreError::AlreadyExists { .. })),
        "{result:?}"
    );
    assert_eq!(fingerprint(dir.path()), before);
}

#[test]
fn create_refuses_an_existing_store() {
    let (_dir, store) = new_store();
    let path = store.path().to_owned();
    let result = danger::create_with_raw_key(&path, &KEY);
    assert!(
        matches!(result, Err(StoreError::AlreadyExists { .. })),
        "{result:?}"
    );
}

#[test]
fn opening_a_missing_file_creates_nothing() {
    let (dir, path) = scratch();
    let result = danger::open_with_raw_key(&path, &KEY);
    assert!(
        matches!(result, Err(StoreError::NotFound { .. })),
        "{result:?}"
    );
    assert!(fingerprint(dir.path()).is_empty());
}

#[test]
fn a_file_that_is_not_a_store_is_a_wrong_key() {
    let (dir, path) = scratch();
    std::fs::write(&path, vec![0x42; 8192]).unwrap();
    let before = fingerprint(dir.path());
    let result = danger::open_with_raw_key(&path, &KEY);
    assert!(matches!(result, Err(StoreError::WrongKey)), "{result:?}");
    assert_eq!(fingerprint(dir.path()), before);
}

#[test]
fn stale_write_ahead_log_is_not_inherited_by_a_new_store() {
    let (dir, path) = scratch();
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    std::fs::write(&wal, b"left over from a deleted store").unwrap();

    let store = danger::create_with_raw_key(&path, &KEY).unwrap();
    store.close().unwrap();

    let names: Vec<String> = fingerprint(dir.path())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["profile.db"]);
}

#[test]
fn connection_runs_with_the_documented_pragmas() {
    let (_dir, store) = new_store();
    let conn = store.connection();
    let text =
        |pragma: &str| -> String { conn.pragma_query_value(None, pragma, |r| r.get(0)).unwrap() };
    let number =
        |pragma: &str| -> i64 { conn.pragma_query_value(None, pragma, |r| r.get(0)).unwrap() };
    assert_eq!(text("journal_mode"), "wal");
    assert_eq!(number("synchronous"), 2, "FULL");
    assert_eq!(number("foreign_keys"), 1);
    assert_eq!(number("secure_delete"), 1);
    assert_eq!(number("temp_store"), 2, "MEMORY");
    assert_eq!(number("trusted_schema"), 1, "FTS5 triggers need it");
}

#[test]
fn debug_output_shows_no_secret() {
    let (_dir, store) = new_store();
    let shown = format!("{store:?}");
    assert!(shown.contains("profile.db"));
    let hex_key = hex::encode(KEY);
    assert!(!shown.contains(&hex_key));
}

#[cfg(unix)]
#[test]
fn database_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, store) = new_store();
    let mode = std::fs::metadata(store.path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "mode {mode:o}");
}
