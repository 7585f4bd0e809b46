//! The owner of `pinned_authorities` and `pinning_upgrade` (migration
//! 0008): the partner authorities this profile trusts, each with its
//! certificate, when and how it was pinned, and the one-row marker a
//! profile created before pinning existed carries until its first opening
//! seeds its pins.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::{to_i64, to_u64};

/// A pin as stored.
#[derive(Debug, Clone)]
pub(crate) struct Pin {
    /// SHA-256 of the certificate (32 bytes in a sound store).
    pub(crate) fingerprint: Vec<u8>,
    /// The name shown for it.
    pub(crate) name: String,
    /// The certificate, DER.
    pub(crate) certificate: Vec<u8>,
    /// When it was pinned.
    pub(crate) pinned_at_ms: u64,
    /// How it was pinned (stored name of the source).
    pub(crate) source: String,
}

/// A new pin; see [`insert`].
pub(crate) struct NewPin<'a> {
    /// SHA-256 of the certificate.
    pub(crate) fingerprint: &'a [u8],
    /// The name shown for it.
    pub(crate) name: &'a str,
    /// The certificate, DER.
    pub(crate) certificate: &'a [u8],
    /// When it is pinned.
    pub(crate) pinned_at_ms: u64,
    /// How it is pinned.
    pub(crate) source: &'a str,
}

/// Whether the authority with this fingerprint is pinned.
pub(crate) fn contains(conn: &Connection, fingerprint: &[u8]) -> Result<bool, rusqlite::Error> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM pinned_authorities WHERE fingerprint = ?1")?
        .query_row([fingerprint], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Pins an authority unless it is pinned already; returns whether it was
/// new.
pub(crate) fn insert(conn: &Connection, pin: &NewPin<'_>) -> Result<bool, rusqlite::Error> {
    let inserted = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO pinned_authorities
                 (fingerprint, name, certificate, pinned_at_ms, source)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            pin.fingerprint,
            pin.name,
            pin.certificate,
            to_i64(pin.pinned_at_ms),
            pin.source
        ])?;
    Ok(inserted == 1)
}

/// Every pin, oldest first.
pub(crate) fn list(conn: &Connection) -> Result<Vec<Pin>, rusqlite::Error> {
    let mut statement = conn.prepare_cached(
        "SELECT fingerprint, name, certificate, pinned_at_ms, source
         FROM pinned_authorities ORDER BY pinned_at_ms, name",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(Pin {
            fingerprint: row.get(0)?,
            name: row.get(1)?,
            certificate: row.get(2)?,
            pinned_at_ms: to_u64(row.get(3)?),
            source: row.get(4)?,
        })
    })?;
    rows.collect()
}

/// Unpins an authority.
pub(crate) fn delete(conn: &Connection, fingerprint: &[u8]) -> Result<(), rusqlite::Error> {
    conn.prepare_cached("DELETE FROM pinned_authorities WHERE fingerprint = ?1")?
        .execute([fingerprint])?;
    Ok(())
}

/// Whether the profile still waits for its pins to be seeded.
pub(crate) fn upgrade_pending(conn: &Connection) -> Result<bool, rusqlite::Error> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM pinning_upgrade")?
        .query_row([], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The pins are seeded: the marker goes.
pub(crate) fn upgrade_done(conn: &Connection) -> Result<(), rusqlite::Error> {
    conn.execute("DELETE FROM pinning_upgrade", [])?;
    Ok(())
}
