//! The audit log's vocabulary: each event Liaison records as a typed
//! [`AuditEvent`], stored with its kind, an English detail and its
//! [`Facts`] (who did what, before and after) so that the apps can say it
//! in the officer's language. [`Refusal`] codes why something was refused,
//! for the log and for the errors the desktop window shows.
//!
//! The rows are kept by `store/tables/audit.rs`; `docs/audit.md` lists the
//! kinds and their facts.

mod category;
mod event;
mod facts;
mod refusal;
#[cfg(test)]
mod tests;

pub use category::AuditCategory;
pub use event::{AckedMessage, AuditEvent, LockReason, PolicyChange};
pub use facts::{Facts, Officer};
pub use refusal::Refusal;
