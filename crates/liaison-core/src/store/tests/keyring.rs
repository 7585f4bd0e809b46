//! Keyring handling against in-memory credentials; the real Secret Service
//! is exercised by `tests/secret_service.rs`.

use std::any::Any;

use keyring::credential::CredentialApi;
use keyring::mock::MockCredential;
use keyring::{Entry, Error as KeyringError};

use super::{KEY, fingerprint, scratch};
use crate::store::keyring::KeyringSlot;
use crate::store::open::{create_in_keyring, open_in_keyring};
use crate::store::{StoreError, danger};

const SLOT: KeyringSlot<'static> = KeyringSlot {
    service: "liaison-test",
    account: "officer-1",
};

fn mock_entry() -> Entry {
    Entry::new_with_credential(Box::new(MockCredential::default()))
}

/// Makes the next call on a mock entry fail with `error`.
fn fail_next(entry: &Entry, error: KeyringError) {
    let mock: &MockCredential = entry.get_credential().downcast_ref().unwrap();
    mock.set_error(error);
}

fn platform_error(text: &str) -> Box<dyn std::error::Error + Send + Sync> {
    text.into()
}

#[test]
fn keyring_store_reopens_with_the_key_kept_in_its_entry() {
    let (_dir, path) = scratch();
    let entry = mock_entry();
    let store = create_in_keyring(&path, &SLOT, &entry).unwrap();
    store.audit(None, "created", "keyring").unwrap();
    store.close().unwrap();

    assert_eq!(entry.get_secret().unwrap().len(), 32);
    let store = open_in_keyring(&path, &SLOT, &entry).unwrap();
    assert_eq!(
        store
            .audit_log(crate::AuditScope::All, None, 5)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn every_store_gets_its_own_random_key() {
    let (_dir, path_a) = scratch();
    let (_dir2, path_b) = scratch();
    let (a, b) = (mock_entry(), mock_entry());
    create_in_keyring(&path_a, &SLOT, &a).unwrap();
    create_in_keyring(&path_b, &SLOT, &b).unwrap();
    assert_ne!(a.get_secret().unwrap(), b.get_secret().unwrap());
}

#[test]
fn missing_keyring_entry_is_a_typed_error() {
    let (_dir, path) = scratch();
    danger::create_with_raw_key(&path, &KEY)
        .unwrap()
        .close()
        .unwrap();

    let result = open_in_keyring(&path, &SLOT, &mock_entry());

    match result {
        Err(StoreError::KeyMissing { service, account }) => {
            assert_eq!(
                (service.as_str(), account.as_str()),
                ("liaison-test", "officer-1")
            );
        }
        other => panic!("expected KeyMissing, got {other:?}"),
    }
}

#[test]
fn unreachable_keyring_is_unavailable_and_points_to_passphrase_mode() {
    let (_dir, path) = scratch();
    danger::create_with_raw_key(&path, &KEY)
        .unwrap()
        .close()
        .unwrap();
    let entry = mock_entry();
    fail_next(
        &entry,
        KeyringError::PlatformFailure(platform_error("no D-Bus session")),
    );

    let error = open_in_keyring(&path, &SLOT, &entry).unwrap_err();

    assert!(
        matches!(error, StoreError::KeyringUnavailable { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("no D-Bus session"), "{message}");
    assert!(message.contains("passphrase"), "{message}");
}

#[test]
fn locked_keyring_is_unavailable() {
    let (_dir, path) = scratch();
    danger::create_with_raw_key(&path, &KEY)
        .unwrap()
        .close()
        .unwrap();
    let entry = mock_entry();
    fail_next(
        &entry,
        KeyringError::NoStorageAccess(platform_error("collection is locked")),
    );

    let result = open_in_keyring(&path, &SLOT, &entry);

    assert!(
        matches!(result, Err(StoreError::KeyringUnavailable { .. })),
        "{result:?}"
    );
}

#[test]
fn create_without_a_usable_keyring_fails_and_leaves_no_file() {
    let (dir, path) = scratch();
    let entry = mock_entry();
    fail_next(
        &entry,
        KeyringError::PlatformFailure(platform_error("no D-Bus session")),
    );

    let result = create_in_keyring(&path, &SLOT, &entry);

    assert!(
        matches!(result, Err(StoreError::KeyringUnavailable { .. })),
        "{result:?}"
    );
    assert!(fingerprint(dir.path()).is_empty());
}

#[test]
fn create_never_overwrites_an_existing_keyring_entry() {
    let (dir, path) = scratch();
    let entry = mock_entry();
    entry.set_secret(&[7; 32]).unwrap();

    let result = create_in_keyring(&path, &SLOT, &entry);

    assert!(
        matches!(result, Err(StoreError::KeyringEntryExists { .. })),
        "{result:?}"
    );
    assert_eq!(entry.get_secret().unwrap(), [7; 32]);
    assert!(fingerprint(dir.path()).is_empty());
}

/// A keyring that reads fine but refuses every write.
#[derive(Debug)]
struct ReadOnlyKeyring;

impl CredentialApi for ReadOnlyKeyring {
    fn set_secret(&self, _: &[u8]) -> keyring::Result<()> {
        Err(KeyringError::NoStorageAccess(platform_error("read-only")))
    }
    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        Err(KeyringError::NoEntry)
    }
    fn delete_credential(&self) -> keyring::Result<()> {
        Err(KeyringError::NoEntry)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[test]
fn failing_to_save_the_key_removes_the_new_database() {
    let (dir, path) = scratch();
    let entry = Entry::new_with_credential(Box::new(ReadOnlyKeyring));

    let result = create_in_keyring(&path, &SLOT, &entry);

    assert!(
        matches!(result, Err(StoreError::KeyringUnavailable { .. })),
        "{result:?}"
    );
    assert!(fingerprint(dir.path()).is_empty());
}

#[test]
fn keyring_entry_of_the_wrong_length_is_malformed() {
    let (_dir, path) = scratch();
    danger::create_with_raw_key(&path, &KEY)
        .unwrap()
        .close()
        .unwrap();
    let entry = mock_entry();
    entry.set_secret(&KEY[..16]).unwrap();

    let result = open_in_keyring(&path, &SLOT, &entry);

    assert!(
        matches!(result, Err(StoreError::MalformedKey)),
        "{result:?}"
    );
}

#[test]
fn keyring_entry_with_another_key_is_a_wrong_key() {
    let (dir, path) = scratch();
    danger::create_with_raw_key(&path, &KEY)
        .unwrap()
        .close()
        .unwrap();
    let before = fingerprint(dir.path());
    let entry = mock_entry();
    entry.set_secret(&[0x33; 32]).unwrap();

    let result = open_in_keyring(&path, &SLOT, &entry);

    assert!(matches!(result, Err(StoreError::WrongKey)), "{result:?}");
    assert_eq!(fingerprint(dir.path()), before);
}

#[test]
fn ambiguous_and_invalid_entries_map_to_their_own_errors() {
    assert!(matches!(
        SLOT.map_error(KeyringError::Ambiguous(Vec::new())),
        StoreError::KeyringAmbiguous
    ));
    assert!(matches!(
        SLOT.map_error(KeyringError::TooLong("service".into(), 10)),
        StoreError::KeyringRejected { .. }
    ));
    let bad = SLOT.map_error(KeyringError::BadEncoding(b"secret-bytes".to_vec()));
    assert!(matches!(bad, StoreError::MalformedKey));
    assert!(!format!("{bad:?}").contains("secret"));
}
