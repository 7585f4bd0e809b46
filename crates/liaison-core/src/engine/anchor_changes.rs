//! Anchors added to a channel by a policy change. Every member is told:
//! an admin who adds a partner authority makes every member trust what it
//! certifies in that channel, so the addition is audited
//! (`channel.anchor_added`, with the authority's name and fingerprint),
//! returned with the commit ([`Received::Commit`](super::Received)) and
//! kept for the apps to show in the channel, with whether this profile has
//! pinned the authority.
//!
//! The rows are kept by [`crate::store::tables::anchor_additions`].

use super::authorities::{ChannelAnchor, is_pinned};
use super::{ChannelId, Engine};
use crate::audit::AuditEvent;
use crate::channel::EngineError;
use crate::store::tables::anchor_additions;
use liaison_identity::{Fingerprint, authority_name};
use liaison_rules::ChannelPolicy;

/// A partner authority a merged policy change added to a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorAdded {
    /// The channel.
    pub channel: ChannelId,
    /// The epoch the change started.
    pub epoch: u64,
    /// The authority, with whether it is pinned now.
    pub anchor: ChannelAnchor,
    /// When this member merged the change, Unix milliseconds.
    pub at_ms: u64,
}

impl Engine {
    /// Records the anchors `after` has and `before` had not, as merged into
    /// `epoch` of `channel`, and returns them.
    pub(super) fn record_anchor_additions(
        &self,
        channel: &ChannelId,
        before: &ChannelPolicy,
        after: &ChannelPolicy,
        epoch: u64,
    ) -> Result<Vec<ChannelAnchor>, EngineError> {
        let old = before.anchors().anchors();
        let conn = self.store.connection();
        let mut added = Vec::new();
        for der in after.anchors().anchors() {
            if old.contains(der) {
                continue;
            }
            let fingerprint = Fingerprint::of(der);
            let anchor = ChannelAnchor {
                name: authority_name(der).unwrap_or_else(|_| "(unreadable name)".to_owned()),
                fingerprint,
                pinned: is_pinned(conn, &fingerprint)?,
            };
            anchor_additions::insert(
                conn,
                &channel.0,
                epoch,
                fingerprint.as_bytes().as_slice(),
                &anchor.name,
                self.now_ms(),
            )?;
            self.store.record(
                Some(&channel.0),
                &AuditEvent::AnchorAdded {
                    channel: after.partnership().to_owned(),
                    authority: anchor.name.clone(),
                    fingerprint: fingerprint.to_string(),
                    pinned: anchor.pinned,
                    epoch,
                },
            )?;
            added.push(anchor);
        }
        Ok(added)
    }

    /// The anchors policy changes added to a channel since this profile
    /// joined it, oldest first, each with whether it is pinned now.
    pub fn anchor_additions(&self, channel: &ChannelId) -> Result<Vec<AnchorAdded>, EngineError> {
        let conn = self.store.connection();
        let mut out = Vec::new();
        for row in anchor_additions::of_channel(conn, &channel.0)? {
            let fingerprint: [u8; 32] =
                row.fingerprint
                    .try_into()
                    .map_err(|_| crate::StoreError::Corrupt {
                        what: "added anchor fingerprint",
                    })?;
            let fingerprint = Fingerprint::from_bytes(fingerprint);
            out.push(AnchorAdded {
                channel: channel.clone(),
                epoch: row.epoch,
                anchor: ChannelAnchor {
                    name: row.name,
                    fingerprint,
                    pinned: is_pinned(conn, &fingerprint)?,
                },
                at_ms: row.at_ms,
            });
        }
        Ok(out)
    }
}
