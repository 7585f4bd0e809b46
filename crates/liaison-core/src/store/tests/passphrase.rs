use super::{cheap_params, fingerprint, passphrase, scratch};
use crate::store::passphrase::{KdfSetup, sidecar_path};
use crate::store::{KdfParams, KeyProtection, Passphrase, Store, StoreError};

#[test]
fn passphrase_store_reopens_with_its_passphrase() {
    let (_dir, path) = scratch();
    let store = Store::create(&path, &passphrase("correct horse")).unwrap();
    store.audit(None, "created", "passphrase").unwrap();
    store.close().unwrap();

    let store = Store::open(&path, &passphrase("correct horse")).unwrap();
    assert_eq!(
        store
            .audit_log(crate::AuditScope::All, None, 5)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn wrong_passphrase_is_refused_and_leaves_the_files_unchanged() {
    let (dir, path) = scratch();
    Store::create(&path, &passphrase("correct horse"))
        .unwrap()
        .close()
        .unwrap();
    let before = fingerprint(dir.path());

    let result = Store::open(&path, &passphrase("correct hose"));

    assert!(matches!(result, Err(StoreError::WrongKey)), "{result:?}");
    assert_eq!(fingerprint(dir.path()), before);
}

#[test]
fn sidecar_records_the_parameters_and_a_random_salt() {
    let (_dir, path) = scratch();
    Store::create(&path, &passphrase("pw")).unwrap();
    let text = std::fs::read_to_string(sidecar_path(&path)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["format"], "liaison-store-kdf");
    assert_eq!(json["version"], 1);
    assert_eq!(json["algorithm"], "argon2id");
    assert_eq!(json["argon2_version"], 19);
    assert_eq!(json["memory_kib"], 64);
    assert_eq!(json["iterations"], 1);
    assert_eq!(json["lanes"], 1);
    assert_eq!(json["salt"].as_str().unwrap().len(), 64);
    assert_eq!(KdfSetup::read(&path).unwrap().params(), cheap_params());

    let (_dir2, other) = scratch();
    Store::create(&other, &passphrase("pw")).unwrap();
    let other_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sidecar_path(&other)).unwrap()).unwrap();
    assert_ne!(json["salt"], other_json["salt"]);
}

#[test]
fn empty_passphrase_is_refused_and_leaves_no_file() {
    let (dir, path) = scratch();
    let result = Store::create(&path, &passphrase(""));
    assert!(
        matches!(result, Err(StoreError::EmptyPassphrase)),
        "{result:?}"
    );
    assert!(fingerprint(dir.path()).is_empty());
}

#[test]
fn missing_sidecar_is_a_typed_error() {
    let (_dir, path) = scratch();
    Store::create(&path, &passphrase("pw"))
        .unwrap()
        .close()
        .unwrap();
    std::fs::remove_file(sidecar_path(&path)).unwrap();
    let result = Store::open(&path, &passphrase("pw"));
    assert!(
        matches!(result, Err(StoreError::SidecarMissing { .. })),
        "{result:?}"
    );
}

/// Rewrites one field of the sidecar of the store at `path`.
fn edit_sidecar(path: &std::path::Path, field: &str, value: serde_json::Value) {
    let sidecar = sidecar_path(path);
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sidecar).unwrap()).unwrap();
    json[field] = value;
    std::fs::write(&sidecar, serde_json::to_string(&json).unwrap()).unwrap();
}

#[test]
fn sidecar_from_a_newer_version_is_reported_as_newer() {
    let (_dir, path) = scratch();
    Store::create(&path, &passphrase("pw"))
        .unwrap()
        .close()
        .unwrap();
    edit_sidecar(&path, "version", 2.into());
    edit_sidecar(&path, "new_field", "x".into());
    let result = Store::open(&path, &passphrase("pw"));
    assert!(
        matches!(
            result,
            Err(StoreError::SidecarVersion {
                found: 2,
                supported: 1
            })
        ),
        "{result:?}"
    );
}

#[test]
fn sidecar_with_unknown_fields_is_malformed() {
    let (_dir, path) = scratch();
    Store::create(&path, &passphrase("pw"))
        .unwrap()
        .close()
        .unwrap();
    edit_sidecar(&path, "pepper", "x".into());
    let result = Store::open(&path, &passphrase("pw"));
    assert!(
        matches!(result, Err(StoreError::SidecarMalformed { .. })),
        "{result:?}"
    );
}

#[test]
fn sidecar_with_absurd_cost_is_refused_before_deriving() {
    let (_dir, path) = scratch();
    Store::create(&path, &passphrase("pw"))
        .unwrap()
        .close()
        .unwrap();
    edit_sidecar(&path, "memory_kib", u32::MAX.into());
    let result = Store::open(&path, &passphrase("pw"));
    assert!(
        matches!(result, Err(StoreError::InvalidKdfParams { .. })),
        "{result:?}"
    );
}

#[test]
fn tampered_parameters_derive_a_key_that_does_not_open_the_store() {
    let (dir, path) = scratch();
    Store::create(&path, &passphrase("pw"))
        .unwrap()
        .close()
        .unwrap();
    edit_sidecar(&path, "memory_kib", 32.into());
    let before = fingerprint(dir.path());
    let result = Store::open(&path, &passphrase("pw"));
    assert!(matches!(result, Err(StoreError::WrongKey)), "{result:?}");
    assert_eq!(fingerprint(dir.path()), before);
}

#[test]
fn default_parameters_are_the_documented_ones() {
    let params = KdfParams::default();
    assert_eq!(
        (params.memory_kib(), params.iterations(), params.lanes()),
        (64 * 1024, 3, 1)
    );
    assert_eq!(KdfParams::new(64 * 1024, 3, 1).unwrap(), params);
}

#[test]
fn default_parameters_create_and_open_a_store() {
    let (_dir, path) = scratch();
    let protection = KeyProtection::passphrase(Passphrase::new("a long passphrase".to_owned()));
    Store::create(&path, &protection).unwrap().close().unwrap();
    Store::open(&path, &protection).unwrap();
}

#[test]
fn out_of_range_parameters_are_refused() {
    assert!(KdfParams::new(4, 1, 1).is_err(), "less than 8 KiB per lane");
    assert!(KdfParams::new(64, 0, 1).is_err(), "no iteration");
    assert!(KdfParams::new(64, 1, 0).is_err(), "no lane");
    assert!(KdfParams::new(64, 65, 1).is_err(), "too many iterations");
    assert!(KdfParams::new(8 * 1024 * 1024, 1, 1).is_err(), "8 GiB");
}

#[test]
fn passphrase_never_shows_in_debug_output() {
    let protection = passphrase("hunter2-secret");
    let shown = format!("{protection:?}");
    assert!(!shown.contains("hunter2-secret"), "{shown}");
    assert!(shown.contains("redacted"));
}

fn pw(text: &str) -> Passphrase {
    Passphrase::new(text.to_owned())
}

fn audit_count(store: &Store) -> usize {
    store
        .audit_log(crate::AuditScope::All, None, 50)
        .unwrap()
        .len()
}

#[test]
fn a_changed_passphrase_opens_the_store_and_the_old_one_no_longer_does() {
    let (dir, path) = scratch();
    let store = Store::create(&path, &passphrase("old passphrase")).unwrap();
    store.audit(None, "before", "the change").unwrap();

    store
        .change_passphrase(&pw("old passphrase"), &pw("new passphrase"), cheap_params())
        .unwrap();
    store.audit(None, "after", "the change").unwrap();
    store.close().unwrap();

    assert!(!crate::store::passphrase::pending_sidecar_path(&path).exists());
    let old = Store::open(&path, &passphrase("old passphrase"));
    assert!(matches!(old, Err(StoreError::WrongKey)), "{old:?}");
    let reopened = Store::open(&path, &passphrase("new passphrase")).unwrap();
    assert_eq!(
        audit_count(&reopened),
        2,
        "nothing lost by the re-encryption"
    );
    drop(reopened);
    drop(dir);
}

#[test]
fn a_wrong_current_passphrase_changes_nothing() {
    let (dir, path) = scratch();
    let store = Store::create(&path, &passphrase("old passphrase")).unwrap();
    store.close().unwrap();
    let store = Store::open(&path, &passphrase("old passphrase")).unwrap();
    let sidecar_before = std::fs::read(sidecar_path(&path)).unwrap();

    let result = store.change_passphrase(&pw("guess"), &pw("new passphrase"), cheap_params());

    assert!(matches!(result, Err(StoreError::WrongKey)), "{result:?}");
    assert_eq!(std::fs::read(sidecar_path(&path)).unwrap(), sidecar_before);
    store.close().unwrap();
    assert!(Store::open(&path, &passphrase("old passphrase")).is_ok());
    let empty = Store::open(&path, &passphrase("old passphrase"))
        .unwrap()
        .change_passphrase(&pw("old passphrase"), &pw(""), cheap_params());
    assert!(
        matches!(empty, Err(StoreError::EmptyPassphrase)),
        "{empty:?}"
    );
    drop(dir);
}

#[test]
fn a_change_cut_short_before_the_re_encryption_keeps_the_old_passphrase() {
    let (_dir, path) = scratch();
    Store::create(&path, &passphrase("old passphrase"))
        .unwrap()
        .close()
        .unwrap();
    // The crash: pending parameters written, the database not re-encrypted.
    let pending = crate::store::passphrase::pending_sidecar_path(&path);
    KdfSetup::generate(cheap_params())
        .unwrap()
        .write_file(pending.clone())
        .unwrap();

    let store = Store::open(&path, &passphrase("old passphrase")).unwrap();

    assert!(
        !pending.exists(),
        "the stale pending parameters are removed"
    );
    store.close().unwrap();
    assert!(Store::open(&path, &passphrase("old passphrase")).is_ok());
}

#[test]
fn a_change_cut_short_after_the_re_encryption_opens_with_the_new_passphrase() {
    let (_dir, path) = scratch();
    let store = Store::create(&path, &passphrase("old passphrase")).unwrap();
    let old_sidecar = std::fs::read(sidecar_path(&path)).unwrap();
    store
        .change_passphrase(&pw("old passphrase"), &pw("new passphrase"), cheap_params())
        .unwrap();
    store.close().unwrap();
    // The crash: re-encrypted, but the parameter file not yet replaced.
    let pending = crate::store::passphrase::pending_sidecar_path(&path);
    std::fs::copy(sidecar_path(&path), &pending).unwrap();
    std::fs::write(sidecar_path(&path), &old_sidecar).unwrap();

    let old = Store::open(&path, &passphrase("old passphrase"));
    assert!(matches!(old, Err(StoreError::WrongKey)), "{old:?}");
    assert!(pending.exists(), "a wrong passphrase finishes nothing");
    let store = Store::open(&path, &passphrase("new passphrase")).unwrap();

    assert!(!pending.exists());
    assert_ne!(std::fs::read(sidecar_path(&path)).unwrap(), old_sidecar);
    store.close().unwrap();
    assert!(Store::open(&path, &passphrase("new passphrase")).is_ok());
}
