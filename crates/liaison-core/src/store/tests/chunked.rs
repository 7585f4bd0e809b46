//! Large openmls records are stored as content-defined chunks, read back
//! intact, rewritten by their changed chunks only, and cleaned up.

use std::collections::HashSet;

use openmls::prelude::GroupId;
use openmls_sqlite_storage::{Codec, SqliteStorageProvider};
use openmls_traits::storage::{CURRENT_VERSION, Entity, StorageProvider, traits};
use serde::{Deserialize, Serialize};

use super::new_store;
use crate::store::chunked::{CHUNKED_FROM, Manifest};
use crate::store::chunker::{self, MAX, MIN};
use crate::store::{Store, StoreCodec, StoreError};

/// Stands in for openmls's tree and message secrets: any serde value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Blob {
    epoch: u64,
    data: Vec<u8>,
}

impl Entity<CURRENT_VERSION> for Blob {}
impl traits::TreeSync<CURRENT_VERSION> for Blob {}
impl traits::MessageSecrets<CURRENT_VERSION> for Blob {}

/// Deterministic pseudo-random bytes (xorshift), incompressible like keys.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_be_bytes()[0]
        })
        .collect()
}

fn big(seed: u64) -> Blob {
    Blob {
        epoch: 7,
        data: noise(300_000, seed),
    }
}

fn group() -> GroupId {
    GroupId::from_slice(b"chunked group")
}

fn read_tree(store: &Store) -> Option<Blob> {
    store.mls_storage().tree(&group()).unwrap()
}

fn chunk_hashes(store: &Store) -> HashSet<Vec<u8>> {
    let conn = store.connection();
    let mut stmt = conn.prepare("SELECT hash FROM mls_chunks").unwrap();
    stmt.query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn stored_row(store: &Store, data_type: &str) -> Vec<u8> {
    store
        .connection()
        .query_row(
            "SELECT group_data FROM openmls_group_data WHERE data_type = ?1",
            [data_type],
            |row| row.get(0),
        )
        .unwrap()
}

#[test]
fn large_record_is_stored_as_chunks_and_reads_back_intact() {
    let (_dir, store) = new_store();
    let value = big(1);
    store.mls_storage().write_tree(&group(), &value).unwrap();
    let manifest = Manifest::parse(&stored_row(&store, "tree"))
        .unwrap()
        .expect("the row holds a manifest");
    assert!(manifest.chunk_count() > 10);
    assert_eq!(chunk_hashes(&store).len(), manifest.chunk_count());
    assert_eq!(read_tree(&store), Some(value));
    // The two records of a group are kept apart.
    let secrets = big(2);
    store
        .mls_storage()
        .write_message_secrets(&group(), &secrets)
        .unwrap();
    let read: Option<Blob> = store.mls_storage().message_secrets(&group()).unwrap();
    assert_eq!(read, Some(secrets));
    assert_eq!(read_tree(&store), Some(big(1)));
}

#[test]
fn rewrite_stores_only_the_chunks_that_changed_and_drops_stale_ones() {
    let (_dir, store) = new_store();
    let mut value = big(3);
    store.mls_storage().write_tree(&group(), &value).unwrap();
    let before = chunk_hashes(&store);
    // Insert bytes in the middle and change a few near the end: the chunks
    // in between realign on content.
    value.data.splice(150_000..150_000, noise(100, 9));
    if let Some(byte) = value.data.get_mut(280_000) {
        *byte ^= 0xff;
    }
    store.mls_storage().write_tree(&group(), &value).unwrap();
    let after = chunk_hashes(&store);
    let new = after.difference(&before).count();
    assert!(new <= 4, "{new} chunks rewritten of {}", after.len());
    let manifest = Manifest::parse(&stored_row(&store, "tree"))
        .unwrap()
        .unwrap();
    // No chunk outside the manifest is left behind.
    assert_eq!(after.len(), manifest.chunk_count());
    assert_eq!(
        manifest.chunk_count(),
        chunker::chunks(&StoreCodec::to_vec(&value).unwrap()).len()
    );
    assert_eq!(read_tree(&store), Some(value));
}

#[test]
fn deleting_a_record_deletes_its_chunks() {
    let (_dir, store) = new_store();
    store.mls_storage().write_tree(&group(), &big(4)).unwrap();
    store.mls_storage().delete_tree(&group()).unwrap();
    assert!(chunk_hashes(&store).is_empty());
    assert_eq!(read_tree(&store), None);
}

#[test]
fn record_shrinking_below_the_threshold_is_stored_whole_again() {
    let (_dir, store) = new_store();
    store.mls_storage().write_tree(&group(), &big(5)).unwrap();
    let small = Blob {
        epoch: 8,
        data: noise(CHUNKED_FROM / 4, 6),
    };
    store.mls_storage().write_tree(&group(), &small).unwrap();
    assert!(chunk_hashes(&store).is_empty());
    assert!(
        Manifest::parse(&stored_row(&store, "tree"))
            .unwrap()
            .is_none()
    );
    assert_eq!(read_tree(&store), Some(small));
}

#[test]
fn whole_records_stay_readable_both_ways() {
    let (_dir, store) = new_store();
    let legacy = SqliteStorageProvider::<StoreCodec, _>::new(store.connection());
    // A record written before chunking existed is read as it is, and
    // chunked at its next write.
    let value = big(7);
    legacy.write_tree(&group(), &value).unwrap();
    assert_eq!(read_tree(&store), Some(value.clone()));
    store.mls_storage().write_tree(&group(), &value).unwrap();
    assert!(!chunk_hashes(&store).is_empty());
    // A small record we write whole is what openmls_sqlite_storage reads.
    let small = Blob {
        epoch: 1,
        data: vec![1, 2, 3],
    };
    store
        .mls_storage()
        .write_message_secrets(&group(), &small)
        .unwrap();
    let read: Option<Blob> = legacy.message_secrets(&group()).unwrap();
    assert_eq!(read, Some(small));
}

#[test]
fn altered_chunk_is_refused_rather_than_misread() {
    let (_dir, store) = new_store();
    store.mls_storage().write_tree(&group(), &big(8)).unwrap();
    store
        .connection()
        .execute(
            "UPDATE mls_chunks SET data = x'00' WHERE rowid = (SELECT min(rowid) FROM mls_chunks)",
            [],
        )
        .unwrap();
    assert!(store.mls_storage().tree::<_, Blob>(&group()).is_err());
}

#[test]
fn rolled_back_rewrite_leaves_the_previous_record_and_chunks() {
    let (_dir, store) = new_store();
    store.mls_storage().write_tree(&group(), &big(10)).unwrap();
    let before = chunk_hashes(&store);
    let result: Result<(), StoreError> = store.transaction(|store| {
        store.mls_storage().write_tree(&group(), &big(11)).unwrap();
        Err(StoreError::Corrupt { what: "test" })
    });
    assert!(result.is_err());
    assert_eq!(chunk_hashes(&store), before);
    assert_eq!(read_tree(&store), Some(big(10)));
}

#[test]
fn chunks_cover_the_data_in_order_within_their_bounds() {
    let data = noise(1_000_000, 12);
    let ranges = chunker::chunks(&data);
    let mut next = 0;
    for (index, range) in ranges.iter().enumerate() {
        assert_eq!(range.start, next);
        assert!(range.len() <= MAX);
        if index + 1 < ranges.len() {
            assert!(range.len() >= MIN);
        }
        next = range.end;
    }
    assert_eq!(next, data.len());
    assert!(chunker::chunks(&[]).is_empty());
    // Runs of one byte are cut too (at the maximum length).
    assert!(chunker::chunks(&vec![0u8; 3 * MAX]).len() >= 3);
}

#[test]
fn whole_record_is_not_taken_for_a_manifest() {
    let encoded = StoreCodec::to_vec(&big(13)).unwrap();
    assert!(Manifest::parse(&encoded).unwrap().is_none());
    assert!(Manifest::parse(&[0xc1]).is_err());
    assert!(Manifest::parse(&[0xc1, 1, 0]).is_err());
    assert!(Manifest::parse(&[0xc1, 2]).is_err());
}
