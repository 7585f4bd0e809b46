//! The relay protocol, version 1: JSON text frames over one WebSocket
//! (`wss://HOST:PORT/v1/ws`). Documented in `docs/relay-protocol.md`.
//!
//! The relay speaks first with a [`Push::Challenge`]; the client answers
//! with [`Request::Authenticate`]; every later request carries an `id` that
//! its [`Response`] repeats. Pushes ([`Push::Deliver`], [`Push::Welcome`])
//! arrive between responses.

use serde::{Deserialize, Serialize};

use crate::bytes::Bytes;
use crate::delivery::{Delivery, Seq, Submission, SubmitOutcome};

/// The protocol version in the WebSocket path (`/v1/ws`).
pub const PROTOCOL_VERSION: u32 = 1;
/// Domain separator of the authentication signature.
pub const AUTH_CONTEXT: &[u8] = b"liaison relay authentication v2\0";
/// The TLS exporter label of the channel binding (RFC 9266,
/// `tls-exporter`): the login signature covers keying material exported
/// from the very TLS session it travels in.
pub const CHANNEL_BINDING_LABEL: &[u8] = b"EXPORTER-Channel-Binding";
/// Length of the exported channel binding.
pub const CHANNEL_BINDING_LEN: usize = 32;
/// Length of the relay's challenge nonce.
pub const NONCE_LEN: usize = 32;

/// The bytes a client signs with its device key to authenticate:
/// `AUTH_CONTEXT || nonce (32) || channel binding (32) || relay name
/// (UTF-8)`. The channel binding is exported from the TLS session the
/// login travels in ([`CHANNEL_BINDING_LABEL`], no context), so a server
/// that passes a real relay's challenge through to a client cannot use the
/// answer: its own TLS session with the relay exports other bytes. The
/// relay's name is its configured name.
pub fn auth_signing_input(nonce: &[u8], channel_binding: &[u8], relay_name: &str) -> Vec<u8> {
    let mut input = Vec::with_capacity(
        AUTH_CONTEXT.len() + nonce.len() + channel_binding.len() + relay_name.len(),
    );
    input.extend_from_slice(AUTH_CONTEXT);
    input.extend_from_slice(nonce);
    input.extend_from_slice(channel_binding);
    input.extend_from_slice(relay_name.as_bytes());
    input
}

/// A frame from the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientFrame {
    /// Chosen by the client; repeated in the response.
    pub id: u64,
    /// What is asked.
    #[serde(flatten)]
    pub request: Request,
}

/// What a client can ask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Proves the officer's identity: the certificate chain (leaf first,
    /// DER) and an Ed25519 signature by the leaf key over
    /// [`auth_signing_input`].
    Authenticate {
        /// Officer certificate, then issuing CAs.
        certificate_chain: Vec<Bytes>,
        /// Signature over the challenge.
        signature: Bytes,
    },
    /// Adds key packages (serialised MLS messages) to this officer's
    /// directory entry. A last-resort package replaces the previous one.
    PublishKeyPackages {
        /// The packages.
        key_packages: Vec<Bytes>,
    },
    /// Takes one key package of another officer (one-time ones first; the
    /// last-resort one is handed out but kept).
    ClaimKeyPackage {
        /// The officer to add.
        officer_id: String,
        /// The SHA-256 fingerprint of the partner authority that certifies
        /// the officer. Each authority has its own officer-id namespace:
        /// without it the claim is refused `ambiguous_officer` when
        /// officers of several authorities use this id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authority: Option<Bytes>,
    },
    /// How many key packages this officer has left.
    KeyPackageCount,
    /// Registers a new group with the relay: its GroupInfo (a serialised
    /// MLS message, with the ratchet tree extension) signed by the creator.
    CreateGroup {
        /// The MLS group id.
        group_id: Bytes,
        /// The creator's GroupInfo at epoch 0.
        group_info: Bytes,
    },
    /// Submits a message for ordering.
    Submit(Submission),
    /// Messages of a group after a cursor.
    Fetch {
        /// The group.
        group_id: Bytes,
        /// Last sequence number already held.
        after: Seq,
        /// At most this many.
        limit: u32,
    },
    /// Pushes every new message of a group from now on (after `after`,
    /// catching up first).
    Subscribe {
        /// The group.
        group_id: Bytes,
        /// Last sequence number already held.
        after: Seq,
    },
    /// Welcomes waiting for this officer. They stay waiting until the
    /// officer drops them with [`Request::DropWelcomes`], so that a client
    /// that stops between fetching a Welcome and storing the channel it
    /// joins gets it again.
    Welcomes,
    /// Deletes Welcomes of this officer that it has dealt with (joined, or
    /// refused for good), named by the SHA-256 of their bytes. Unknown
    /// hashes are ignored. Additive in version 1: a relay without it
    /// answers `malformed`.
    DropWelcomes {
        /// SHA-256 of each serialised Welcome, as `welcomes` returned it.
        hashes: Vec<Bytes>,
    },
    /// Officers who hold at least one key package at this relay (so they
    /// can be added to a channel), with their certificate chains, sorted
    /// by officer id, at most `limit` (the relay may cap it lower).
    /// Additive in version 1: a relay without it answers `malformed`.
    ListOfficers {
        /// At most this many entries.
        limit: u32,
    },
    /// Asks the channel's admins to add this device back: it holds another
    /// branch of the channel than they do (a fork). `request` is an encoded
    /// [`crate::rejoin::RejoinRequest`]; the relay keeps one per member and
    /// group, replacing an older one, until a commit removes the member's
    /// leaf. Only a current member may ask. Additive in version 1: a relay
    /// without it answers `malformed`.
    RequestRejoin {
        /// The group.
        group_id: Bytes,
        /// The signed request.
        request: Bytes,
    },
    /// The rejoin requests waiting in a group. Only its admins may read
    /// them. Additive in version 1: a relay without it answers `malformed`.
    RejoinRequests {
        /// The group.
        group_id: Bytes,
    },
}

/// A member's waiting request to be added back to a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejoinEntry {
    /// The officer id the member authenticated with.
    pub officer_id: String,
    /// The encoded [`crate::rejoin::RejoinRequest`], unverified: admins
    /// check its signature against the member's leaf.
    pub request: Bytes,
}

/// One officer of the relay's key-package directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    /// The officer id the certificate names.
    pub officer_id: String,
    /// The certificate chain of their newest key package, leaf first
    /// (DER). Unverified: clients check it against a channel's anchors.
    pub certificate_chain: Vec<Bytes>,
}

/// A frame from the relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ServerFrame {
    /// The answer to a request.
    Response {
        /// The request's id.
        id: u64,
        /// Success or a typed error.
        #[serde(flatten)]
        result: ResponseResult,
    },
    /// Something the client did not ask for at this moment.
    Push {
        /// What.
        push: Push,
    },
}

/// A response's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseResult {
    /// Success.
    Ok(Response),
    /// A typed refusal.
    Error(RelayError),
}

/// Successful answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    /// Authentication succeeded.
    Authenticated {
        /// The officer id from the certificate.
        officer_id: String,
    },
    /// Key packages stored.
    Published {
        /// One-time packages now held for this officer.
        one_time: u32,
        /// Whether a last-resort package is held.
        last_resort: bool,
    },
    /// A claimed key package.
    KeyPackage {
        /// The serialised key package.
        key_package: Bytes,
    },
    /// Key packages left for this officer.
    KeyPackageCount {
        /// One-time packages left.
        one_time: u32,
        /// Whether a last-resort package is held.
        last_resort: bool,
    },
    /// The group is registered.
    GroupCreated,
    /// The outcome of a submission.
    Submitted {
        /// Accepted with its position, or wrong epoch.
        outcome: SubmitOutcome,
    },
    /// Messages from a cursor.
    Deliveries {
        /// In order.
        deliveries: Vec<Delivery>,
    },
    /// The subscription is active; pushes follow.
    Subscribed,
    /// Waiting Welcomes.
    Welcomes {
        /// Serialised Welcome messages.
        welcomes: Vec<Bytes>,
    },
    /// How many waiting Welcomes a `drop_welcomes` deleted.
    WelcomesDropped {
        /// Welcomes deleted.
        dropped: u32,
    },
    /// The key-package directory's officers.
    Officers {
        /// Sorted by officer id.
        officers: Vec<DirectoryEntry>,
    },
    /// The rejoin request is kept.
    RejoinRequested,
    /// A group's waiting rejoin requests.
    RejoinRequests {
        /// Oldest first.
        requests: Vec<RejoinEntry>,
    },
}

/// Pushed by the relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Push {
    /// Sent first on every connection.
    Challenge {
        /// Random bytes to sign.
        nonce: Bytes,
        /// The relay's name, also signed.
        relay: String,
        /// Protocol version spoken.
        version: u32,
    },
    /// A new message in a subscribed group.
    Deliver {
        /// The message and its position.
        delivery: Delivery,
    },
    /// A Welcome for this officer arrived.
    Welcome {
        /// The serialised Welcome.
        welcome: Bytes,
    },
}

/// A typed refusal. Clients switch on `code`; `message` is for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct RelayError {
    /// What went wrong.
    pub code: ErrorCode,
    /// A readable explanation, never containing content.
    pub message: String,
}

/// Error codes of the relay protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The request needs authentication first, or authentication failed.
    Unauthenticated,
    /// The certificate is not issued by an authority this relay trusts.
    UnknownAuthority,
    /// The certificate has expired or is not yet valid.
    Expired,
    /// The certificate is revoked.
    Revoked,
    /// The officer is not a member of the group.
    NotMember,
    /// The relay does not know the group.
    UnknownGroup,
    /// The group already exists.
    GroupExists,
    /// No key package left for the officer.
    NoKeyPackage,
    /// The officer already holds the maximum number of key packages.
    TooManyKeyPackages,
    /// The message is larger than the relay accepts.
    TooLarge,
    /// The group's queue is full.
    QueueFull,
    /// The group's or the member's storage quota at the relay is used up.
    QuotaExceeded,
    /// Too many requests; slow down and retry.
    RateLimited,
    /// The request or the MLS message is malformed or invalid.
    Malformed,
    /// A commit a relay-side rule forbids (e.g. a non-admin adding members).
    Forbidden,
    /// Officers of several partner authorities use the officer id claimed:
    /// name the authority.
    AmbiguousOfficer,
    /// Something failed inside the relay; retry later.
    Internal,
}

#[cfg(test)]
mod tests;
