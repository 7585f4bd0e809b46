//! The labelled envelope carried inside every MLS application message, and
//! the binding of its label to the MLS authenticated data.
//!
//! Layout and limits are documented in `docs/wire-format.md`.

use crate::codec::{DecodeError, Reader, Writer};

/// Version 1 of the [`Envelope`], [`Binding`] and [`Payload`] encodings
/// ([`Payload`] is still at it; an envelope without a context is written
/// in it).
pub const ENVELOPE_VERSION: u8 = 1;
/// The envelope version whose signed content names the channel and epoch
/// the message was sent in ([`EnvelopeContext`]).
pub const ENVELOPE_VERSION_WITH_CONTEXT: u8 = 2;
/// Longest group id an envelope context may name.
pub const MAX_CONTEXT_GROUP_ID_LEN: usize = 256;
/// Longest message body accepted, in bytes of UTF-8.
pub const MAX_BODY_LEN: usize = 64 * 1024;
/// Longest canonical label encoding accepted, in bytes.
pub const MAX_LABEL_LEN: usize = 4 * 1024;
/// Domain separator prefixed to an envelope before it is signed, so an
/// envelope signature can never be confused with any other signature made
/// by the same key.
pub const ENVELOPE_SIGNATURE_CONTEXT: &[u8] = b"liaison envelope signature v1\0";

/// A 128-bit message identifier chosen by the sender.
///
/// Senders build it with [`MessageId::sequenced`]. Receivers treat it as
/// opaque bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(pub [u8; 16]);

impl MessageId {
    /// An identifier numbered in a sender's stream: `stream` (4 bytes the
    /// sender draws at random), `counter` (big-endian), then `random` (8
    /// bytes drawn by the caller).
    ///
    /// Ids of one stream sort in sending order, so the store's
    /// `(channel, message id)` index grows at a few append points instead
    /// of touching a random page per message (`docs/performance.md`,
    /// "SQLCipher against plain SQLite"). The id travels in the MLS
    /// authenticated data, which the relay reads: unlike a time prefix, a
    /// stream and a counter tell it nothing it does not see already (which
    /// connection sent what, in what order), and never when a message
    /// queued offline was written.
    pub fn sequenced(stream: [u8; 4], counter: u32, random: [u8; 8]) -> Self {
        let mut id = [0u8; 16];
        id[..4].copy_from_slice(&stream);
        id[4..8].copy_from_slice(&counter.to_be_bytes());
        id[8..].copy_from_slice(&random);
        Self(id)
    }

    /// The identifier as lowercase hex.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Message precedence, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precedence {
    /// Normal traffic.
    Routine,
    /// Handle before routine traffic.
    Priority,
    /// Handle at once; recipients are asked to acknowledge.
    Immediate,
    /// Handle before everything else; recipients are asked to acknowledge.
    Flash,
}

impl Precedence {
    /// Whether recipients are asked to acknowledge (rule 8 of docs/design.md).
    pub fn requires_ack(self) -> bool {
        matches!(self, Self::Immediate | Self::Flash)
    }

    /// Stable wire code.
    pub fn code(self) -> u8 {
        match self {
            Self::Routine => 0,
            Self::Priority => 1,
            Self::Immediate => 2,
            Self::Flash => 3,
        }
    }

    /// Inverse of [`Precedence::code`].
    pub fn from_code(code: u8) -> Result<Self, DecodeError> {
        Ok(match code {
            0 => Self::Routine,
            1 => Self::Priority,
            2 => Self::Immediate,
            3 => Self::Flash,
            _ => return Err(DecodeError::InvalidValue("precedence")),
        })
    }

    /// The display word, e.g. `FLASH`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Routine => "ROUTINE",
            Self::Priority => "PRIORITY",
            Self::Immediate => "IMMEDIATE",
            Self::Flash => "FLASH",
        }
    }
}

/// Whether traffic is real or part of an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrafficKind {
    /// Real-world traffic.
    Operation,
    /// Exercise traffic, always framed as such.
    Exercise,
}

impl TrafficKind {
    /// Stable wire code.
    pub fn code(self) -> u8 {
        match self {
            Self::Operation => 0,
            Self::Exercise => 1,
        }
    }

    /// Inverse of [`TrafficKind::code`].
    pub fn from_code(code: u8) -> Result<Self, DecodeError> {
        match code {
            0 => Ok(Self::Operation),
            1 => Ok(Self::Exercise),
            _ => Err(DecodeError::InvalidValue("traffic kind")),
        }
    }

    /// The display word, e.g. `EXERCISE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operation => "OPERATION",
            Self::Exercise => "EXERCISE",
        }
    }
}

/// What a message refers to, and how: its label must dominate the source's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferenceKind {
    /// A reply in the same channel.
    Reply,
    /// A quotation of the source.
    Quote,
    /// A forward of the source from another channel.
    Forward,
}

impl ReferenceKind {
    /// Stable wire code.
    pub fn code(self) -> u8 {
        match self {
            Self::Reply => 0,
            Self::Quote => 1,
            Self::Forward => 2,
        }
    }

    /// Inverse of [`ReferenceKind::code`].
    pub fn from_code(code: u8) -> Result<Self, DecodeError> {
        match code {
            0 => Ok(Self::Reply),
            1 => Ok(Self::Quote),
            2 => Ok(Self::Forward),
            _ => Err(DecodeError::InvalidValue("reference kind")),
        }
    }
}

/// A reference to a source message, carrying the source's label so that
/// every recipient can check inheritance even without the source at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Reply, quote or forward.
    pub kind: ReferenceKind,
    /// The source message.
    pub message_id: MessageId,
    /// The source's canonical label encoding.
    pub label: Vec<u8>,
}

/// What the label binding in the MLS authenticated data holds: readable by
/// the relay, signed by MLS, and required to match the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The message this binding belongs to.
    pub message_id: MessageId,
    /// Canonical label encoding.
    pub label: Vec<u8>,
    /// Precedence.
    pub precedence: Precedence,
    /// Exercise or operation.
    pub kind: TrafficKind,
    /// The sender's epoch authenticator for the message's epoch, truncated
    /// to [`EPOCH_CHECK_LEN`] bytes (binding version 2; `None` in version
    /// 1). A receiver whose own differs holds another branch of the
    /// channel: a fork.
    pub epoch_check: Option<[u8; EPOCH_CHECK_LEN]>,
}

/// Length of the epoch check in a version 2 binding.
pub const EPOCH_CHECK_LEN: usize = 16;
/// The binding version that carries an epoch check.
pub const BINDING_VERSION_WITH_EPOCH_CHECK: u8 = 2;

impl Binding {
    /// Canonical encoding: version 1 without an epoch check, version 2
    /// (the same fields, then the 16-byte check) with one.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u8(if self.epoch_check.is_some() {
            BINDING_VERSION_WITH_EPOCH_CHECK
        } else {
            ENVELOPE_VERSION
        })
        .raw(&self.message_id.0)
        .bytes(&self.label)
        .u8(self.precedence.code())
        .u8(self.kind.code());
        if let Some(check) = &self.epoch_check {
            w.raw(check);
        }
        w.into_bytes()
    }

    /// Decodes untrusted bytes (version 1 or 2).
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let version = r.u8("version")?;
        if version != ENVELOPE_VERSION && version != BINDING_VERSION_WITH_EPOCH_CHECK {
            return Err(DecodeError::UnsupportedVersion {
                what: "binding",
                version,
            });
        }
        let mut binding = Self {
            message_id: MessageId(r.array("message id")?),
            label: r.bytes("label", MAX_LABEL_LEN)?.to_vec(),
            precedence: Precedence::from_code(r.u8("precedence")?)?,
            kind: TrafficKind::from_code(r.u8("traffic kind")?)?,
            epoch_check: None,
        };
        if version == BINDING_VERSION_WITH_EPOCH_CHECK {
            binding.epoch_check = Some(r.array("epoch check")?);
        }
        r.finish()?;
        Ok(binding)
    }

    /// Whether two bindings bind the same message and label, whatever their
    /// epoch checks (the envelope, which the check is not part of, is
    /// compared with this).
    pub fn same_content(&self, other: &Self) -> bool {
        self.message_id == other.message_id
            && self.label == other.label
            && self.precedence == other.precedence
            && self.kind == other.kind
    }
}

/// Where a message was sent, inside its signature: the MLS group of the
/// channel and the epoch the message was encrypted in. A receiver checks
/// it against the group and epoch the message arrived in; an archive
/// reader against the channel the archive claims, so a genuinely signed
/// message cannot be shown under another channel or at another place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeContext {
    /// The channel's MLS group id.
    pub group_id: Vec<u8>,
    /// The MLS epoch the message was encrypted in.
    pub epoch: u64,
}

/// The signed content of a labelled message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// Sender-chosen random identifier.
    pub message_id: MessageId,
    /// Canonical label encoding.
    pub label: Vec<u8>,
    /// Precedence.
    pub precedence: Precedence,
    /// Exercise or operation.
    pub kind: TrafficKind,
    /// The text.
    pub body: String,
    /// Reply, quote or forward source, if any.
    pub reference: Option<Reference>,
    /// Sender's clock, milliseconds since the Unix epoch.
    pub sent_at_ms: u64,
    /// The channel and epoch it was sent in (version 2); `None` for a
    /// version 1 envelope, which is bound to neither.
    pub context: Option<EnvelopeContext>,
}

impl Envelope {
    /// Canonical encoding (what the sender signs): version 2 with a
    /// context (the version 1 fields, then the group id and the epoch),
    /// version 1 without.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u8(if self.context.is_some() {
            ENVELOPE_VERSION_WITH_CONTEXT
        } else {
            ENVELOPE_VERSION
        })
        .raw(&self.message_id.0)
        .bytes(&self.label)
        .u8(self.precedence.code())
        .u8(self.kind.code())
        .string(&self.body)
        .flag(self.reference.is_some());
        if let Some(reference) = &self.reference {
            w.u8(reference.kind.code())
                .raw(&reference.message_id.0)
                .bytes(&reference.label);
        }
        w.u64(self.sent_at_ms);
        if let Some(context) = &self.context {
            w.bytes(&context.group_id).u64(context.epoch);
        }
        w.into_bytes()
    }

    /// Decodes untrusted bytes (version 1 or 2).
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let version = r.u8("version")?;
        if version != ENVELOPE_VERSION && version != ENVELOPE_VERSION_WITH_CONTEXT {
            return Err(DecodeError::UnsupportedVersion {
                what: "envelope",
                version,
            });
        }
        let message_id = MessageId(r.array("message id")?);
        let label = r.bytes("label", MAX_LABEL_LEN)?.to_vec();
        let precedence = Precedence::from_code(r.u8("precedence")?)?;
        let kind = TrafficKind::from_code(r.u8("traffic kind")?)?;
        let body = r.string("body", MAX_BODY_LEN)?.to_owned();
        let reference = if r.flag("reference flag")? {
            Some(Reference {
                kind: ReferenceKind::from_code(r.u8("reference kind")?)?,
                message_id: MessageId(r.array("reference id")?),
                label: r.bytes("reference label", MAX_LABEL_LEN)?.to_vec(),
            })
        } else {
            None
        };
        let sent_at_ms = r.u64("sent at")?;
        let context = if version == ENVELOPE_VERSION_WITH_CONTEXT {
            Some(EnvelopeContext {
                group_id: r
                    .bytes("context group id", MAX_CONTEXT_GROUP_ID_LEN)?
                    .to_vec(),
                epoch: r.u64("context epoch")?,
            })
        } else {
            None
        };
        r.finish()?;
        Ok(Self {
            message_id,
            label,
            precedence,
            kind,
            body,
            reference,
            sent_at_ms,
            context,
        })
    }

    /// The binding the MLS authenticated data must carry for this envelope.
    pub fn binding(&self) -> Binding {
        Binding {
            message_id: self.message_id,
            label: self.label.clone(),
            precedence: self.precedence,
            kind: self.kind,
            epoch_check: None,
        }
    }

    /// The bytes a sender signs: a domain separator then the encoding.
    pub fn signing_input(encoded: &[u8]) -> Vec<u8> {
        let mut input = Vec::with_capacity(ENVELOPE_SIGNATURE_CONTEXT.len() + encoded.len());
        input.extend_from_slice(ENVELOPE_SIGNATURE_CONTEXT);
        input.extend_from_slice(encoded);
        input
    }
}

/// The plaintext of an MLS application message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// A labelled message: its encoded envelope and the sender's Ed25519
    /// signature over [`Envelope::signing_input`].
    Message {
        /// The canonical envelope encoding, kept as received so the
        /// signature stays verifiable offline.
        envelope: Vec<u8>,
        /// Ed25519 signature by the sender's certificate key.
        signature: [u8; 64],
    },
    /// An acknowledgement of a FLASH or IMMEDIATE message.
    Ack {
        /// The acknowledged message.
        message_id: MessageId,
    },
}

const PAYLOAD_MESSAGE: u8 = 1;
const PAYLOAD_ACK: u8 = 2;
/// Largest encoded envelope accepted inside a payload.
pub const MAX_ENVELOPE_LEN: usize =
    MAX_BODY_LEN + 3 * MAX_LABEL_LEN + 256 + MAX_CONTEXT_GROUP_ID_LEN + 12;

impl Payload {
    /// Canonical encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u8(ENVELOPE_VERSION);
        match self {
            Self::Message {
                envelope,
                signature,
            } => {
                w.u8(PAYLOAD_MESSAGE).bytes(envelope).raw(signature);
            }
            Self::Ack { message_id } => {
                w.u8(PAYLOAD_ACK).raw(&message_id.0);
            }
        }
        w.into_bytes()
    }

    /// Decodes untrusted bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        check_version(&mut r, "payload")?;
        let payload = match r.u8("payload type")? {
            PAYLOAD_MESSAGE => Self::Message {
                envelope: r.bytes("envelope", MAX_ENVELOPE_LEN)?.to_vec(),
                signature: r.array("signature")?,
            },
            PAYLOAD_ACK => Self::Ack {
                message_id: MessageId(r.array("message id")?),
            },
            _ => return Err(DecodeError::InvalidValue("payload type")),
        };
        r.finish()?;
        Ok(payload)
    }
}

fn check_version(r: &mut Reader<'_>, what: &'static str) -> Result<(), DecodeError> {
    match r.u8("version")? {
        ENVELOPE_VERSION => Ok(()),
        version => Err(DecodeError::UnsupportedVersion { what, version }),
    }
}

#[cfg(test)]
mod tests;
