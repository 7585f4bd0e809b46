//! openmls's large group records, stored as content-defined chunks.
//!
//! openmls rewrites a group's ratchet tree at every commit and its message
//! secrets (every member's credential for each kept past epoch) at every
//! commit and every message sent or received: megabytes in a channel of a
//! thousand, of which a commit changes a small part (one past epoch enters,
//! the oldest leaves, a few tree nodes change) and a message less. Written
//! whole, each record costs its full size in page encryption, write-ahead
//! log and disk sync.
//!
//! A record of [`CHUNKED_FROM`] bytes or more is cut into chunks
//! ([`chunker`](super::chunker)) kept in `mls_chunks` under their SHA-256;
//! its row in `openmls_group_data` holds the [`Manifest`] instead of the
//! bytes. A rewrite inserts the chunks the previous manifest lacks and
//! deletes those the new one dropped, so it touches what changed. Deleted
//! chunks are overwritten like any deleted row (`secure_delete`).
//!
//! Smaller records, and records written before this scheme, are stored
//! whole as before; a manifest starts with `0xc1`, a byte MessagePack never
//! uses, so the two cannot be confused. Everything happens on the caller's
//! connection, inside its transaction.

use std::collections::{HashMap, HashSet};

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::chunker;

/// Records at least this long are chunked. Test builds chunk nearly every
/// record, so that the engine's tests run over the chunked form.
#[cfg(not(test))]
pub(super) const CHUNKED_FROM: usize = 32 * 1024;
#[cfg(test)]
pub(super) const CHUNKED_FROM: usize = 1024;

/// The `provider_version` openmls_sqlite_storage 0.3 writes (its
/// `STORAGE_PROVIDER_VERSION`, private to it); a test checks it still reads
/// what we write.
pub(super) const PROVIDER_VERSION: u16 = 1;

/// The group records that can grow large.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Record {
    /// The ratchet tree (`TreeSync`).
    Tree,
    /// The message secrets of the current and past epochs.
    MessageSecrets,
}

impl Record {
    /// The `data_type` of openmls_sqlite_storage's `openmls_group_data`.
    fn data_type(self) -> &'static str {
        match self {
            Self::Tree => "tree",
            Self::MessageSecrets => "message_secrets",
        }
    }
}

/// Why a chunked record could not be read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(super) enum ChunkError {
    /// The manifest row is not a well-formed manifest.
    #[error("malformed chunk manifest")]
    MalformedManifest,
    /// A chunk the manifest lists is missing or does not match its hash.
    #[error("a chunk of a stored MLS record is missing or altered")]
    BadChunk,
}

impl From<ChunkError> for rusqlite::Error {
    fn from(error: ChunkError) -> Self {
        rusqlite::Error::FromSqlConversionFailure(0, Type::Blob, Box::new(error))
    }
}

const MANIFEST_MARK: u8 = 0xc1;
const MANIFEST_VERSION: u8 = 1;
const ENTRY_LEN: usize = 32 + 4;

type Hash = [u8; 32];

/// A chunked record's chunks, in order: hash and length of each.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Manifest {
    entries: Vec<(Hash, u32)>,
}

impl Manifest {
    /// Parses a stored row: `None` when it is a whole record, not a manifest.
    pub(super) fn parse(bytes: &[u8]) -> Result<Option<Self>, ChunkError> {
        let Some((&MANIFEST_MARK, rest)) = bytes.split_first() else {
            return Ok(None);
        };
        let Some((&MANIFEST_VERSION, body)) = rest.split_first() else {
            return Err(ChunkError::MalformedManifest);
        };
        if body.len() % ENTRY_LEN != 0 {
            return Err(ChunkError::MalformedManifest);
        }
        let entries = body
            .chunks_exact(ENTRY_LEN)
            .map(|entry| {
                let (hash, len) = entry.split_at(32);
                let hash = Hash::try_from(hash).map_err(|_| ChunkError::MalformedManifest)?;
                let len = <[u8; 4]>::try_from(len).map_err(|_| ChunkError::MalformedManifest)?;
                Ok((hash, u32::from_be_bytes(len)))
            })
            .collect::<Result<_, ChunkError>>()?;
        Ok(Some(Self { entries }))
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(2 + self.entries.len() * ENTRY_LEN);
        out.extend_from_slice(&[MANIFEST_MARK, MANIFEST_VERSION]);
        for (hash, len) in &self.entries {
            out.extend_from_slice(hash);
            out.extend_from_slice(&len.to_be_bytes());
        }
        out
    }

    /// How many chunks the record has.
    #[cfg(test)]
    pub(super) fn chunk_count(&self) -> usize {
        self.entries.len()
    }

    fn hashes(&self) -> HashSet<Hash> {
        self.entries.iter().map(|(hash, _)| *hash).collect()
    }
}

/// Stores `value`, the codec's encoding of the record, for the group whose
/// encoded id is `group`.
pub(super) fn write(
    conn: &Connection,
    group: &[u8],
    record: Record,
    value: &[u8],
) -> rusqlite::Result<()> {
    if value.len() < CHUNKED_FROM {
        // Deleting chunks that are not there is one index probe; cheaper
        // than reading the row to see whether it was chunked.
        delete_chunks(conn, group, record)?;
        return store_row(conn, group, record, value);
    }
    let old = match read_row(conn, group, record)? {
        Some(row) => Manifest::parse(&row)?.map(|m| m.hashes()),
        None => None,
    }
    .unwrap_or_default();
    let mut entries = Vec::new();
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO mls_chunks (group_id, data_type, hash, data) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut inserted = HashSet::new();
    for range in chunker::chunks(value) {
        let chunk = value.get(range).unwrap_or_default();
        let hash: Hash = Sha256::digest(chunk).into();
        let len = u32::try_from(chunk.len())
            .map_err(|_| rusqlite::Error::ToSqlConversionFailure("chunk too long".into()))?;
        if !old.contains(&hash) && inserted.insert(hash) {
            insert.execute(params![group, record.data_type(), hash.as_slice(), chunk])?;
        }
        entries.push((hash, len));
    }
    let manifest = Manifest { entries };
    let kept = manifest.hashes();
    let mut delete = conn.prepare_cached(
        "DELETE FROM mls_chunks WHERE group_id = ?1 AND data_type = ?2 AND hash = ?3",
    )?;
    for hash in old.difference(&kept) {
        delete.execute(params![group, record.data_type(), hash.as_slice()])?;
    }
    store_row(conn, group, record, &manifest.encode())
}

/// Reads the record back as the codec's encoding; `None` when absent.
pub(super) fn read(
    conn: &Connection,
    group: &[u8],
    record: Record,
) -> rusqlite::Result<Option<Vec<u8>>> {
    let Some(row) = read_row(conn, group, record)? else {
        return Ok(None);
    };
    let Some(manifest) = Manifest::parse(&row)? else {
        return Ok(Some(row));
    };
    let mut stmt = conn.prepare_cached(
        "SELECT hash, data FROM mls_chunks WHERE group_id = ?1 AND data_type = ?2",
    )?;
    let chunks: HashMap<Vec<u8>, Vec<u8>> = stmt
        .query_map(params![group, record.data_type()], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let total: usize = manifest
        .entries
        .iter()
        .map(|(_, len)| usize::try_from(*len).unwrap_or(usize::MAX))
        .fold(0, usize::saturating_add);
    let mut out = Vec::with_capacity(total.min(1 << 30));
    for (hash, len) in &manifest.entries {
        let chunk = chunks
            .get(hash.as_slice())
            .filter(|chunk| u32::try_from(chunk.len()).is_ok_and(|n| n == *len))
            .filter(|chunk| Sha256::digest(chunk).as_slice() == hash.as_slice())
            .ok_or(ChunkError::BadChunk)?;
        out.extend_from_slice(chunk);
    }
    Ok(Some(out))
}

/// Deletes the record and its chunks.
pub(super) fn delete(conn: &Connection, group: &[u8], record: Record) -> rusqlite::Result<()> {
    delete_chunks(conn, group, record)?;
    conn.prepare_cached(
        "DELETE FROM openmls_group_data
         WHERE group_id = ?1 AND data_type = ?2 AND provider_version = ?3",
    )?
    .execute(params![group, record.data_type(), PROVIDER_VERSION])?;
    Ok(())
}

fn delete_chunks(conn: &Connection, group: &[u8], record: Record) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM mls_chunks WHERE group_id = ?1 AND data_type = ?2")?
        .execute(params![group, record.data_type()])?;
    Ok(())
}

fn store_row(conn: &Connection, group: &[u8], record: Record, row: &[u8]) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO openmls_group_data (group_id, data_type, group_data, provider_version)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![group, record.data_type(), row, PROVIDER_VERSION])?;
    Ok(())
}

fn read_row(conn: &Connection, group: &[u8], record: Record) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.prepare_cached(
        "SELECT group_data FROM openmls_group_data
         WHERE group_id = ?1 AND data_type = ?2 AND provider_version = ?3",
    )?
    .query_row(
        params![group, record.data_type(), PROVIDER_VERSION],
        |row| row.get(0),
    )
    .optional()
}
