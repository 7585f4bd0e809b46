//! The store against a real OS keyring (on Linux: gnome-keyring's Secret
//! Service). These tests fail, never skip, when no keyring is reachable:
//! `cargo xtask test` runs them inside `dbus-run-session` with an unlocked
//! gnome-keyring. By hand:
//!
//! ```sh
//! dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; cargo test -p liaison-core --test secret_service'
//! ```
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use liaison_core::{
    AuditScope, DeviceKeySeed, KdfParams, KeyProtection, Passphrase, Store, StoreError, danger,
};

/// The Secret Service handles concurrent requests from one process badly;
/// run these tests one at a time.
static KEYRING: Mutex<()> = Mutex::new(());

/// A service name no other run and no real profile uses.
fn unique_service(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("liaison-test-{test}-{}-{nanos}", std::process::id())
}

/// Deletes the keyring entry when the test ends, passed or failed.
struct EntryCleanup {
    service: String,
    account: String,
}

impl Drop for EntryCleanup {
    fn drop(&mut self) {
        if let Ok(entry) = keyring::Entry::new(&self.service, &self.account) {
            let _ = entry.delete_credential();
        }
    }
}

fn require_keyring<T>(result: Result<T, StoreError>) -> T {
    result.unwrap_or_else(|e| {
        panic!(
            "a real, unlocked Secret Service is required (run under dbus-run-session with \
             gnome-keyring unlocked, as `cargo xtask test` does): {e}"
        )
    })
}

#[test]
fn profile_key_round_trips_through_the_secret_service() {
    let _serial = KEYRING.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.db");
    let service = unique_service("round-trip");
    let account = "officer-gbr-0042";
    let cleanup = EntryCleanup {
        service: service.clone(),
        account: account.to_owned(),
    };
    let protection = KeyProtection::keyring(&service, account);

    let store = require_keyring(Store::create(&path, &protection));
    store
        .save_profile("GBR-0042", b"chain", &DeviceKeySeed::new([4; 32]))
        .unwrap();
    store.audit(None, "created", "keyring").unwrap();
    store.close().unwrap();

    // A fresh Entry, as a new process would make, finds a 256-bit key.
    let secret = keyring::Entry::new(&service, account)
        .unwrap()
        .get_secret()
        .unwrap();
    assert_eq!(secret.len(), 32);

    // Reopening reads the key through a fresh Entry and decrypts the data.
    let store = Store::open(&path, &protection).unwrap();
    assert_eq!(store.profile().unwrap().unwrap().officer_id, "GBR-0042");
    assert_eq!(store.audit_log(AuditScope::All, None, 5).unwrap().len(), 1);
    store.close().unwrap();

    // The same key opens the file directly: the keyring holds the real key.
    let raw: [u8; 32] = secret.as_slice().try_into().unwrap();
    danger::open_with_raw_key(&path, &raw).unwrap();

    liaison_core::delete_keyring_key(&service, account).unwrap();
    let gone = Store::open(&path, &protection);
    assert!(
        matches!(gone, Err(StoreError::KeyMissing { .. })),
        "{gone:?}"
    );
    drop(cleanup);
}

#[test]
fn missing_entry_in_the_secret_service_is_a_typed_error() {
    let _serial = KEYRING.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.db");
    danger::create_with_raw_key(&path, &[1; 32])
        .unwrap()
        .close()
        .unwrap();
    let service = unique_service("missing");

    let result = Store::open(&path, &KeyProtection::keyring(&service, "nobody"));

    match result {
        Err(StoreError::KeyMissing {
            service: s,
            account,
        }) => {
            assert_eq!((s.as_str(), account.as_str()), (service.as_str(), "nobody"));
        }
        Err(other) => {
            require_keyring::<()>(Err(other));
        }
        Ok(_) => panic!("opened a store without its key"),
    }
}

#[test]
fn create_never_overwrites_a_key_in_the_secret_service() {
    let _serial = KEYRING.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let service = unique_service("no-overwrite");
    let account = "officer-fra-0007";
    let cleanup = EntryCleanup {
        service: service.clone(),
        account: account.to_owned(),
    };
    let protection = KeyProtection::keyring(&service, account);
    let first = dir.path().join("first.db");
    require_keyring(Store::create(&first, &protection))
        .close()
        .unwrap();

    let second = dir.path().join("second.db");
    let result = Store::create(&second, &protection);

    assert!(
        matches!(result, Err(StoreError::KeyringEntryExists { .. })),
        "{result:?}"
    );
    assert!(!second.exists());
    Store::open(&first, &protection).unwrap();
    drop(cleanup);
}

/// Cheap Argon2id parameters for tests.
fn test_params() -> KdfParams {
    KdfParams::new(64, 1, 1).unwrap()
}

fn pin_protection(service: &str, account: &str, pin: &str) -> KeyProtection {
    KeyProtection::KeyringPin {
        service: service.to_owned(),
        account: account.to_owned(),
        pin: Passphrase::new(pin.to_owned()),
        params: test_params(),
    }
}

fn profile_officer(store: &Store) -> String {
    store.profile().unwrap().unwrap().officer_id
}

/// A temporary directory, a store path in it, a fresh keyring service and
/// the cleanup of its entry for `account`.
fn pin_fixture(test: &str, account: &str) -> (tempfile::TempDir, PathBuf, String, EntryCleanup) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.db");
    let service = unique_service(test);
    let cleanup = EntryCleanup {
        service: service.clone(),
        account: account.to_owned(),
    };
    (dir, path, service, cleanup)
}

#[test]
fn a_pin_store_opens_only_with_the_keyring_secret_and_the_pin_together() {
    let _serial = KEYRING.lock().unwrap_or_else(|e| e.into_inner());
    let account = "officer-gbr-0007";
    let (dir, path, service, _cleanup) = pin_fixture("pin", account);

    let store = require_keyring(Store::create(
        &path,
        &pin_protection(&service, account, "482913"),
    ));
    store
        .save_profile("GBR-0007", b"chain", &DeviceKeySeed::new([7; 32]))
        .unwrap();
    store.close().unwrap();
    assert!(dir.path().join("profile.db-kdf").exists());

    // The PIN is wrong: the key derived does not open the store.
    assert!(matches!(
        Store::open(&path, &pin_protection(&service, account, "482914")),
        Err(StoreError::WrongKey)
    ));
    // The keyring secret alone is not the key.
    assert!(matches!(
        Store::open(&path, &KeyProtection::keyring(&service, account)),
        Err(StoreError::WrongKey)
    ));
    // The PIN without this keyring's secret (another entry) is not either.
    let other = unique_service("pin-other");
    let _other_cleanup = EntryCleanup {
        service: other.clone(),
        account: account.to_owned(),
    };
    let scratch = dir.path().join("scratch.db");
    require_keyring(Store::create(
        &scratch,
        &KeyProtection::keyring(&other, account),
    ))
    .close()
    .unwrap();
    std::fs::copy(
        dir.path().join("profile.db-kdf"),
        dir.path().join("x.db-kdf"),
    )
    .unwrap();
    std::fs::copy(&path, dir.path().join("x.db")).unwrap();
    assert!(matches!(
        Store::open(
            dir.path().join("x.db"),
            &pin_protection(&other, account, "482913")
        ),
        Err(StoreError::WrongKey)
    ));

    let store = Store::open(&path, &pin_protection(&service, account, "482913")).unwrap();
    assert_eq!(profile_officer(&store), "GBR-0007");
}

#[test]
fn a_keyring_store_gains_a_pin_and_then_needs_it() {
    let _serial = KEYRING.lock().unwrap_or_else(|e| e.into_inner());
    let account = "officer-gbr-0008";
    let (_dir, path, service, _cleanup) = pin_fixture("add-pin", account);
    let keyring_only = KeyProtection::keyring(&service, account);

    let store = require_keyring(Store::create(&path, &keyring_only));
    store
        .save_profile("GBR-0008", b"chain", &DeviceKeySeed::new([8; 32]))
        .unwrap();
    store
        .add_pin(
            &service,
            account,
            &Passphrase::new("739150".into()),
            test_params(),
        )
        .unwrap();
    // Still usable on the same connection after the rekey.
    store.audit(None, "pin", "added").unwrap();
    store.close().unwrap();

    assert!(matches!(
        Store::open(&path, &keyring_only),
        Err(StoreError::WrongKey)
    ));
    assert!(matches!(
        Store::open(&path, &pin_protection(&service, account, "000000")),
        Err(StoreError::WrongKey)
    ));
    let store = Store::open(&path, &pin_protection(&service, account, "739150")).unwrap();
    assert_eq!(profile_officer(&store), "GBR-0008");
    let audit = store.audit_log(AuditScope::All, None, 10).unwrap();
    assert!(audit.iter().any(|entry| entry.event == "pin"));
}

#[test]
fn a_pin_changes_only_with_the_current_pin_and_then_the_new_one_opens() {
    let _serial = KEYRING.lock().unwrap_or_else(|e| e.into_inner());
    let account = "officer-gbr-0009";
    let (_dir, path, service, _cleanup) = pin_fixture("change-pin", account);
    let store = require_keyring(Store::create(
        &path,
        &pin_protection(&service, account, "482913"),
    ));
    store
        .save_profile("GBR-0009", b"chain", &DeviceKeySeed::new([9; 32]))
        .unwrap();
    let pin = |text: &str| Passphrase::new(text.to_owned());

    let wrong = store.change_pin(
        &service,
        account,
        &pin("111222"),
        &pin("905731"),
        test_params(),
    );
    assert!(matches!(wrong, Err(StoreError::WrongKey)), "{wrong:?}");
    store
        .change_pin(
            &service,
            account,
            &pin("482913"),
            &pin("905731"),
            test_params(),
        )
        .unwrap();
    store.close().unwrap();

    assert!(matches!(
        Store::open(&path, &pin_protection(&service, account, "482913")),
        Err(StoreError::WrongKey)
    ));
    let store = Store::open(&path, &pin_protection(&service, account, "905731")).unwrap();
    assert_eq!(profile_officer(&store), "GBR-0009");
}
