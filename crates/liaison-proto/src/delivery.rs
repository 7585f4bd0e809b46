//! Delivery-service types: what a client submits to the relay and what the
//! relay hands back. Content stays opaque MLS bytes; the relay orders them.

use serde::{Deserialize, Serialize};

/// How many past epochs' secrets a member keeps, so application messages
/// sent before a commit still decrypt after it. The relay orders an
/// application message only if its epoch is the group's current one or at
/// most this many before it: one further back nobody could read.
pub const PAST_EPOCHS_KEPT: u64 = 8;

/// Position of a message in its group's total order, assigned by the relay.
/// Sequence numbers start at 1; a cursor of 0 means "nothing seen yet".
pub type Seq = u64;

/// An MLS message as the delivery service stored and ordered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The group the message belongs to.
    #[serde(with = "crate::bytes::as_base64")]
    pub group_id: Vec<u8>,
    /// Its position in the group's order.
    pub seq: Seq,
    /// The serialised `MlsMessageOut`.
    #[serde(with = "crate::bytes::as_base64")]
    pub message: Vec<u8>,
}

/// The delivery service's answer to a submitted message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SubmitOutcome {
    /// Ordered and stored at this position.
    Accepted {
        /// The assigned sequence number.
        seq: Seq,
    },
    /// A commit for an epoch other than the group's current one: the client
    /// must roll back its pending commit, catch up and retry.
    WrongEpoch {
        /// The group's current epoch at the relay.
        current: u64,
    },
}

/// A message submitted to a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    /// The target group.
    #[serde(with = "crate::bytes::as_base64")]
    pub group_id: Vec<u8>,
    /// The serialised `MlsMessageOut` (commit, proposal or application message).
    #[serde(with = "crate::bytes::as_base64")]
    pub message: Vec<u8>,
    /// For a commit that adds members: the serialised Welcome, released to
    /// its recipients only once the commit is accepted.
    #[serde(default, with = "crate::bytes::as_base64_opt")]
    pub welcome: Option<Vec<u8>>,
}
