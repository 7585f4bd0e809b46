//! One owner per table. Each module here is the only code that writes its
//! table (and, for the thread order, the only code that reads it to decide
//! a position); the engine, archives and the desktop runtime call these
//! functions, or engine methods built on them, instead of writing SQL.
//!
//! Owned so far: `messages` (rows and thread order) and `read_markers`.
//! Other tables are still written by the module that uses them: channels
//! (`engine/create.rs`, `engine/commit.rs`, `archive/rows.rs`), forks and
//! gaps (`engine/rejoin.rs`), pinned authorities and invitations
//! (`engine/authorities.rs`, `engine/invitations.rs`).

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
