//! The owner of `key_packages`: the hash reference of every key package
//! this profile published (migration 0002); openmls keeps their private
//! keys in its own tables.

use rusqlite::{Connection, params};

use super::to_i64;

/// Records a key package published (`last_resort`: the one kept for when
/// the relay has no other left).
pub(crate) fn insert(
    conn: &Connection,
    hash_ref: &[u8],
    last_resort: bool,
    created_at_ms: u64,
) -> Result<(), rusqlite::Error> {
    conn.execute(
        "INSERT INTO key_packages (hash_ref, last_resort, created_at_ms) VALUES (?1, ?2, ?3)",
        params![hash_ref, last_resort, to_i64(created_at_ms)],
    )?;
    Ok(())
}
