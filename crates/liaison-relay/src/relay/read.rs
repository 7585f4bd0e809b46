//! Reading a group's order from a cursor, within the stretches the
//! officer's device was a member.

use liaison_proto::{Delivery, Seq};

use super::Relay;
use crate::auth::Session;
use crate::error::Error;
use crate::storage::{Storage, StorageError, Window};

/// Deliveries after `after` that fall in `windows`, in order, at most
/// `limit` and, past the first, at most `max_bytes` of ciphertext: an
/// answer always makes progress and never outgrows a client's frame.
pub(crate) fn read_windows(
    storage: &dyn Storage,
    group_id: &[u8],
    windows: &[Window],
    after: Seq,
    limit: u32,
    max_bytes: usize,
) -> Result<Vec<Delivery>, StorageError> {
    let mut out: Vec<Delivery> = Vec::new();
    let mut cursor = after;
    let mut spent = 0usize;
    for window in windows {
        let room = limit.saturating_sub(u32::try_from(out.len()).unwrap_or(u32::MAX));
        if room == 0 || (spent >= max_bytes && !out.is_empty()) {
            break;
        }
        if window.until.is_some_and(|until| until <= cursor) {
            continue;
        }
        // Past the first delivery, what is left of the budget; the first
        // may take it all.
        let budget = if out.is_empty() {
            max_bytes
        } else {
            max_bytes.saturating_sub(spent)
        };
        let batch = storage.deliveries(
            group_id,
            cursor.max(window.since),
            window.until,
            room,
            budget,
        )?;
        spent = spent.saturating_add(batch.iter().map(|d| d.message.len()).sum::<usize>());
        if let Some(last) = batch.last() {
            cursor = last.seq;
        }
        out.extend(batch);
    }
    Ok(out)
}

impl Relay {
    /// The windows of this officer's device in a group: `unknown_group` or
    /// `not_member` when it has none.
    pub(crate) fn windows(&self, session: &Session, group_id: &[u8]) -> Result<Vec<Window>, Error> {
        super::check_group_id(group_id)?;
        let windows = self
            .storage
            .windows(group_id, &session.officer_id, &session.signature_key)?
            .ok_or(StorageError::UnknownGroup)?;
        if windows.is_empty() {
            return Err(Error::not_member());
        }
        Ok(windows)
    }

    /// Messages after a cursor that this device may read: a member reads
    /// from the commit that added it, and a removed member up to the commit
    /// that removed it (so it learns of its removal).
    pub(crate) fn fetch(
        &self,
        session: &Session,
        group_id: &[u8],
        after: Seq,
        limit: u32,
    ) -> Result<Vec<Delivery>, Error> {
        let windows = self.windows(session, group_id)?;
        let limit = limit.min(self.config.limits.max_fetch);
        Ok(read_windows(
            self.storage.as_ref(),
            group_id,
            &windows,
            after,
            limit,
            self.config.limits.max_answer_bytes,
        )?)
    }
}
