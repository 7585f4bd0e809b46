//! Wire types shared by the Liaison client and relay: the labelled envelope,
//! its binding to the MLS authenticated data, and the delivery-service
//! messages. No I/O happens here; every decoder goes through a checked
//! [`codec::Reader`] with named maximum lengths and rejects trailing bytes.

mod bytes;
pub mod channel_policy;
pub mod codec;
mod delivery;
mod envelope;
pub mod rejoin;
pub mod relay;
mod stamp;

pub use bytes::{Bytes, as_base64, as_base64_opt};
pub use channel_policy::{POLICY_EXTENSION_TYPE, PolicyWire};
pub use codec::DecodeError;
pub use delivery::{Delivery, PAST_EPOCHS_KEPT, Seq, Submission, SubmitOutcome};
pub use envelope::{
    BINDING_VERSION_WITH_EPOCH_CHECK, Binding, ENVELOPE_SIGNATURE_CONTEXT, ENVELOPE_VERSION,
    ENVELOPE_VERSION_WITH_CONTEXT, EPOCH_CHECK_LEN, Envelope, EnvelopeContext, MAX_BODY_LEN,
    MAX_CONTEXT_GROUP_ID_LEN, MAX_ENVELOPE_LEN, MAX_LABEL_LEN, MessageId, Payload, Precedence,
    Reference, ReferenceKind, TrafficKind,
};
pub use stamp::{COMMIT_STAMP_VERSION, CommitStamp};
