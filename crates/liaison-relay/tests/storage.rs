//! The SQLite storage through the `Storage` trait: retention, key-package
//! bounds, membership windows.
#![allow(clippy::unwrap_used)]

use liaison_relay::{
    Append, GroupChange, KeyPackageRecord, MemberRecord, NewGroup, SqliteStorage, Storage,
    StorageError, Window,
};

const DAY: u64 = 86_400;
const NOW: u64 = 1_750_000_000;

fn member(id: &str) -> MemberRecord {
    MemberRecord {
        officer_id: id.to_owned(),
        signature_key: id.as_bytes().to_vec(),
    }
}

fn group(storage: &SqliteStorage, retention_days: u32) -> Vec<u8> {
    let group_id = vec![u8::try_from(retention_days).unwrap(); 16];
    storage
        .create_group(&NewGroup {
            group_id: group_id.clone(),
            epoch: 0,
            retention_days,
            state: vec![(b"k".to_vec(), b"v".to_vec())],
            members: vec![member("gbr.admin")],
            created_at: NOW,
        })
        .unwrap();
    group_id
}

fn append(storage: &SqliteStorage, group_id: &[u8], at: u64, change: Option<GroupChange>) -> u64 {
    storage
        .append(&Append {
            group_id: group_id.to_vec(),
            message: vec![1, 2, 3],
            received_at: at,
            max_stored: 1000,
            sender: "gbr/gbr.sender".to_owned(),
            max_group_bytes: u64::MAX,
            max_sender_bytes: u64::MAX,
            change,
            welcome: None,
        })
        .unwrap()
}

#[test]
fn ciphertext_past_retention_is_deleted_and_positions_never_go_back() {
    let storage = SqliteStorage::in_memory().unwrap();
    let kept_forever = group(&storage, 0);
    let one_day = group(&storage, 1);
    for group_id in [&kept_forever, &one_day] {
        append(&storage, group_id, NOW - 3 * DAY, None);
        append(&storage, group_id, NOW, None);
    }
    let expired = storage.expire(NOW, 90 * DAY).unwrap();
    assert_eq!(expired.messages, 1);
    let left: Vec<u64> = storage
        .deliveries(&one_day, 0, None, 100, usize::MAX)
        .unwrap()
        .iter()
        .map(|d| d.seq)
        .collect();
    assert_eq!(left, [2]);
    assert_eq!(
        storage
            .deliveries(&kept_forever, 0, None, 100, usize::MAX)
            .unwrap()
            .len(),
        2
    );
    assert_eq!(append(&storage, &one_day, NOW, None), 3);
    assert_eq!(storage.group(&one_day).unwrap().unwrap().stored, 2);
}

#[test]
fn a_full_queue_is_refused_without_storing() {
    let storage = SqliteStorage::in_memory().unwrap();
    let group_id = group(&storage, 0);
    let full = Append {
        group_id: group_id.clone(),
        message: vec![0],
        received_at: NOW,
        max_stored: 0,
        sender: "gbr/gbr.sender".to_owned(),
        max_group_bytes: u64::MAX,
        max_sender_bytes: u64::MAX,
        change: None,
        welcome: None,
    };
    assert!(matches!(
        storage.append(&full),
        Err(StorageError::QueueFull)
    ));
    assert_eq!(storage.group(&group_id).unwrap().unwrap().last_seq, 0);
}

#[test]
fn group_and_member_quotas_are_refused_without_storing_and_freed_by_retention() {
    let storage = SqliteStorage::in_memory().unwrap();
    let group_id = group(&storage, 1);
    let message = |sender: &str, at: u64| Append {
        group_id: group_id.clone(),
        message: vec![0; 100],
        received_at: at,
        max_stored: 1000,
        sender: sender.to_owned(),
        max_group_bytes: 300,
        max_sender_bytes: 200,
        change: None,
        welcome: None,
    };
    // One member may hold 200 bytes of the group's 300.
    storage.append(&message("a", NOW - 3 * DAY)).unwrap();
    storage.append(&message("a", NOW)).unwrap();
    assert!(matches!(
        storage.append(&message("a", NOW)),
        Err(StorageError::QuotaExceeded(_))
    ));
    storage.append(&message("b", NOW)).unwrap();
    // The group is full for everyone.
    assert!(matches!(
        storage.append(&message("c", NOW)),
        Err(StorageError::QuotaExceeded(_))
    ));
    assert_eq!(storage.group(&group_id).unwrap().unwrap().last_seq, 3);
    // Retention frees the old message's bytes, for the group and for "a".
    assert_eq!(storage.expire(NOW, 90 * DAY).unwrap().messages, 1);
    storage.append(&message("a", NOW)).unwrap();
}

#[test]
fn membership_windows_follow_adds_and_removals() {
    let storage = SqliteStorage::in_memory().unwrap();
    let group_id = group(&storage, 0);
    let change = |added: Vec<MemberRecord>, removed: Vec<Vec<u8>>| GroupChange {
        epoch: 1,
        retention_days: 0,
        state: Vec::new(),
        added,
        removed,
        readded: Vec::new(),
    };
    let added_at = append(
        &storage,
        &group_id,
        NOW,
        Some(change(vec![member("fra.x")], vec![])),
    );
    append(&storage, &group_id, NOW, None);
    let removed_at = append(
        &storage,
        &group_id,
        NOW,
        Some(change(vec![], vec![b"fra.x".to_vec()])),
    );
    let windows = storage
        .windows(&group_id, "fra.x", b"fra.x")
        .unwrap()
        .unwrap();
    assert_eq!(
        windows,
        [Window {
            since: added_at,
            until: Some(removed_at)
        }]
    );
    // Another officer id with the same key is not the same member.
    assert!(
        storage
            .windows(&group_id, "gbr.x", b"fra.x")
            .unwrap()
            .unwrap()
            .is_empty()
    );
    assert!(
        storage
            .windows(&[0; 3], "fra.x", b"fra.x")
            .unwrap()
            .is_none()
    );
    let members = storage.group(&group_id).unwrap().unwrap().members;
    assert_eq!(members, [member("gbr.admin")]);
}

#[test]
fn a_new_last_resort_package_replaces_the_old_one() {
    let storage = SqliteStorage::in_memory().unwrap();
    let record = |n: u8, last_resort| KeyPackageRecord {
        hash_ref: vec![n],
        package: vec![n, n],
        last_resort,
    };
    storage
        .publish_key_packages("gbr.a", &[record(1, true), record(2, false)], 10, NOW)
        .unwrap();
    let count = storage
        .publish_key_packages("gbr.a", &[record(3, true)], 10, NOW)
        .unwrap();
    assert_eq!((count.one_time, count.last_resort), (1, true));
    assert_eq!(
        storage.claim_key_package("gbr.a").unwrap(),
        Some(vec![2, 2])
    );
    assert_eq!(
        storage.claim_key_package("gbr.a").unwrap(),
        Some(vec![3, 3])
    );
    assert_eq!(
        storage.claim_key_package("gbr.a").unwrap(),
        Some(vec![3, 3])
    );
    assert_eq!(
        storage
            .key_package_owners(&[vec![1], vec![2], vec![9]])
            .unwrap(),
        ["gbr.a"]
    );
}
