//! The records inside the encrypted stream: one manifest, the messages, one
//! end record. Each is `u8` type, `u32` length (big-endian), then the body
//! in Liaison's canonical encoding (`liaison_proto::codec`).

use std::io::{BufRead, Write};

use liaison_proto::codec::{Reader, Writer};
use liaison_proto::{DecodeError, MAX_ENVELOPE_LEN};

use super::stream::{ChunkReader, ChunkWriter};
use crate::archive::error::ArchiveError;

const MANIFEST: u8 = 1;
const MESSAGE: u8 = 2;
const END: u8 = 3;

/// Longest channel policy (anchors, intermediates and revocation lists
/// included) an archive may carry.
pub(crate) const MAX_POLICY_LEN: usize = 128 * 1024 * 1024;
/// Longest sender chain (MLS X.509 credential content).
const MAX_CHAIN_BYTES: usize = 256 * 1024;
const MAX_NAME_LEN: usize = 1024;
const MAX_GROUP_ID_LEN: usize = 256;
/// Largest record body: a manifest with the largest policy.
const MAX_RECORD_LEN: usize = MAX_POLICY_LEN + 64 * 1024;
/// Bytes read at a time into a record body, so a length prefix alone never
/// makes the reader allocate more than the content that follows.
const READ_STEP: usize = 64 * 1024;

/// What the archive is about, first in the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Manifest {
    pub(crate) exported_by: String,
    pub(crate) source_group: Vec<u8>,
    pub(crate) channel_name: String,
    pub(crate) policy: Vec<u8>,
    pub(crate) from_ms: Option<u64>,
    pub(crate) to_ms: Option<u64>,
    pub(crate) message_count: u64,
}

/// One message as the exporter's store kept it: the signed envelope, its
/// signature and the sender's chain are what the importer verifies; the
/// rest is the exporter's delivery metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MessageRecord {
    pub(crate) message_id: [u8; 16],
    pub(crate) seq: Option<u64>,
    pub(crate) epoch: u64,
    pub(crate) received_at_ms: u64,
    pub(crate) envelope: Vec<u8>,
    pub(crate) signature: [u8; 64],
    pub(crate) sender_chain: Vec<u8>,
}

/// A record of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Record {
    Manifest(Manifest),
    Message(MessageRecord),
    End { message_count: u64 },
}

fn optional(w: &mut Writer, value: Option<u64>) {
    w.flag(value.is_some()).u64(value.unwrap_or(0));
}

fn read_optional(r: &mut Reader<'_>, field: &'static str) -> Result<Option<u64>, DecodeError> {
    let present = r.flag(field)?;
    let value = r.u64(field)?;
    Ok(present.then_some(value))
}

impl Record {
    fn encode(&self) -> (u8, Vec<u8>) {
        let mut w = Writer::new();
        let kind = match self {
            Self::Manifest(m) => {
                w.string(&m.exported_by)
                    .bytes(&m.source_group)
                    .string(&m.channel_name)
                    .bytes(&m.policy);
                optional(&mut w, m.from_ms);
                optional(&mut w, m.to_ms);
                w.u64(m.message_count);
                MANIFEST
            }
            Self::Message(m) => {
                w.raw(&m.message_id);
                optional(&mut w, m.seq);
                w.u64(m.epoch)
                    .u64(m.received_at_ms)
                    .bytes(&m.envelope)
                    .raw(&m.signature)
                    .bytes(&m.sender_chain);
                MESSAGE
            }
            Self::End { message_count } => {
                w.u64(*message_count);
                END
            }
        };
        (kind, w.into_bytes())
    }

    fn decode(kind: u8, body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let record = match kind {
            MANIFEST => Self::Manifest(Manifest {
                exported_by: r.string("exported by", MAX_NAME_LEN)?.to_owned(),
                source_group: r.bytes("group id", MAX_GROUP_ID_LEN)?.to_vec(),
                channel_name: r.string("channel name", MAX_NAME_LEN)?.to_owned(),
                policy: r.bytes("policy", MAX_POLICY_LEN)?.to_vec(),
                from_ms: read_optional(&mut r, "from")?,
                to_ms: read_optional(&mut r, "to")?,
                message_count: r.u64("message count")?,
            }),
            MESSAGE => Self::Message(MessageRecord {
                message_id: r.array("message id")?,
                seq: read_optional(&mut r, "seq")?,
                epoch: r.u64("epoch")?,
                received_at_ms: r.u64("received at")?,
                envelope: r.bytes("envelope", MAX_ENVELOPE_LEN)?.to_vec(),
                signature: r.array("signature")?,
                sender_chain: r.bytes("sender chain", MAX_CHAIN_BYTES)?.to_vec(),
            }),
            END => Self::End {
                message_count: r.u64("message count")?,
            },
            _ => return Err(DecodeError::InvalidValue("record type")),
        };
        r.finish()?;
        Ok(record)
    }

    /// Appends the record to the encrypted stream.
    pub(crate) fn write<W: Write>(&self, out: &mut ChunkWriter<W>) -> Result<(), ArchiveError> {
        let (kind, body) = self.encode();
        let len = u32::try_from(body.len())
            .map_err(|_| ArchiveError::MalformedContent("a record is too large".into()))?;
        out.write_all(&[kind])?;
        out.write_all(&len.to_be_bytes())?;
        out.write_all(&body)
    }

    /// Reads the next record, `None` once the stream has ended cleanly.
    pub(crate) fn read<R: BufRead>(
        input: &mut ChunkReader<R>,
    ) -> Result<Option<Self>, ArchiveError> {
        if input.at_end()? {
            return Ok(None);
        }
        let mut lead = [0u8; 5];
        input.read_exact(&mut lead)?;
        let [kind, l0, l1, l2, l3] = lead;
        let len = usize::try_from(u32::from_be_bytes([l0, l1, l2, l3])).unwrap_or(usize::MAX);
        if len > MAX_RECORD_LEN {
            return Err(ArchiveError::MalformedContent(format!(
                "a record announces {len} bytes, more than {MAX_RECORD_LEN}"
            )));
        }
        let mut body = Vec::with_capacity(len.min(READ_STEP));
        while body.len() < len {
            let start = body.len();
            let step = (len - start).min(READ_STEP);
            body.resize(start + step, 0);
            if let Some(window) = body.get_mut(start..) {
                input.read_exact(window)?;
            }
        }
        Self::decode(kind, &body)
            .map(Some)
            .map_err(|e| ArchiveError::MalformedContent(e.to_string()))
    }
}
