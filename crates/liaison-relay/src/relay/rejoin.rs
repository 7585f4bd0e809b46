//! Members' requests to be added back to a group they diverged from.
//!
//! The relay cannot tell which branch of a fork is right (it sees no
//! content, and an honest relay never makes one): it only carries a
//! member's signed request to the group's admins, whose clients judge it.

use liaison_proto::rejoin::{MAX_REJOIN_REQUEST_LEN, RejoinRequest};
use liaison_proto::relay::ErrorCode;
use liaison_proto::relay::RejoinEntry;

use super::{Relay, unix_now};
use crate::auth::Session;
use crate::error::Error;
use crate::storage::RejoinRecord;

/// Most requests one answer lists; a group has at most one per leaf.
const MAX_LISTED: u32 = 256;

impl Relay {
    /// Keeps a current member's request to be added back to `group_id`.
    pub(crate) fn request_rejoin(
        &self,
        session: &Session,
        group_id: &[u8],
        request: &[u8],
    ) -> Result<(), Error> {
        if request.len() > MAX_REJOIN_REQUEST_LEN {
            return Err(Error::refused(
                ErrorCode::TooLarge,
                format!("rejoin requests are limited to {MAX_REJOIN_REQUEST_LEN} bytes"),
            ));
        }
        let decoded = RejoinRequest::decode(request)
            .map_err(|e| Error::malformed(format!("rejoin request: {e}")))?;
        if decoded.claim.group_id != group_id {
            return Err(Error::malformed("the rejoin request names another group"));
        }
        // A removed member is not added back by asking: only a current
        // leaf may ask, and its request goes with the leaf.
        if !self.windows(session, group_id)?.iter().any(|w| w.is_open()) {
            return Err(Error::not_member());
        }
        self.storage.put_rejoin_request(&RejoinRecord {
            group_id: group_id.to_vec(),
            signature_key: session.signature_key.clone(),
            officer_id: session.officer_id.clone(),
            request: request.to_vec(),
            created_at: unix_now(),
        })?;
        Ok(())
    }

    /// The requests waiting in `group_id`, for one of its admins.
    pub(crate) fn rejoin_requests(
        &self,
        session: &Session,
        group_id: &[u8],
    ) -> Result<Vec<RejoinEntry>, Error> {
        let slot = self.member_slot(group_id, &session.officer_id, &session.signature_key)?;
        {
            let mut guard = slot.lock();
            if guard.is_none() {
                *guard = Some(self.load(group_id)?);
            }
            let Some(group) = guard.as_ref() else {
                return Err(Error::Internal("group slot empty after load".to_owned()));
            };
            if !group.is_member(&session.officer_id, &session.signature_key) {
                return Err(Error::not_member());
            }
            if !group.policy()?.admins.contains(&session.officer_id) {
                return Err(Error::forbidden(
                    "only the channel's admins read its rejoin requests",
                ));
            }
        }
        Ok(self
            .storage
            .rejoin_requests(group_id, MAX_LISTED)?
            .into_iter()
            .map(|(officer_id, request)| RejoinEntry {
                officer_id,
                request: request.into(),
            })
            .collect())
    }
}
