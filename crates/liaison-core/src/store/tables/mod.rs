//! One owner per table. Each module here is the only code that names its
//! table in SQL: it writes the table, and its functions are the reads
//! others make of it, returning typed rows. The engine, the archive code
//! and (through engine methods) the desktop runtime call them instead of
//! writing SQL. `docs/store.md` ("Who writes which table") lists the
//! tables with their owners.
//!
//! An owner writes only its own table(s). A read that must span tables to
//! stay on an index lives in the owner of the table it mainly reads: the
//! messages awaiting an acknowledgement (`messages` and `acks`), search
//! results and notifications (`messages` joined to `channels`), the
//! acknowledgements retention deletes (`acks` of old `messages`) and the
//! read marker after a renumbering (`read_markers` counting `messages`).
//! `mls_chunks` belongs to the openmls storage (`super::chunked`).

/// A count, position or time as SQLite stores it (saturating).
fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A stored count, position or time (a negative one reads as 0).
fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

pub(crate) mod acks;
pub(crate) mod anchor_additions;
pub(crate) mod audit;
pub(crate) mod channels;
pub(crate) mod cursors;
pub(crate) mod epoch_checks;
pub(crate) mod forks;
pub(crate) mod imports;
pub(crate) mod invitations;
pub(crate) mod key_packages;
pub(crate) mod messages;
pub(crate) mod outbox;
pub(crate) mod pinned_authorities;
pub(crate) mod profile;
pub(crate) mod read_markers;
pub(crate) mod rejoins_answered;
pub(crate) mod seen;
