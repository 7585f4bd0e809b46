//! The plaintext header of an archive file: what is needed to derive the
//! key, and the classification marking of the contents (rule 7: an archive
//! at rest is marked like any other medium).

use std::io::Read;

use liaison_proto::codec::{Reader, Writer};

use super::{CHUNK_SIZE, FORMAT_VERSION, MAGIC, MAX_CHUNK_SIZE, MAX_HEADER_LEN, MAX_MARKING_LEN};
use crate::archive::error::ArchiveError;

/// Length of an archive's random identifier.
pub(crate) const ARCHIVE_ID_LEN: usize = 16;
/// Length of the key-check value.
pub(crate) const KEY_CHECK_LEN: usize = 16;
/// Length of an Argon2id salt.
pub(crate) const SALT_LEN: usize = 32;
/// Upper bound on the HPKE fields (an X25519 KEM output is 32 bytes, the
/// wrapped key 48).
const MAX_HPKE_FIELD: usize = 256;

const KIND_PASSPHRASE: u8 = 1;
const KIND_CERTIFICATE: u8 = 2;

/// How the archive's root secret is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeySlot {
    /// Argon2id of a passphrase.
    Passphrase {
        memory_kib: u32,
        iterations: u32,
        lanes: u32,
        salt: [u8; SALT_LEN],
    },
    /// HPKE (DHKEM-X25519, HKDF-SHA256, AES-256-GCM) to the X25519 form of
    /// the recipient certificate's Ed25519 key.
    Certificate {
        recipient: [u8; 32],
        kem_output: Vec<u8>,
        wrapped_key: Vec<u8>,
    },
}

/// The header, as written after the magic bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) archive_id: [u8; ARCHIVE_ID_LEN],
    pub(crate) created_at_ms: u64,
    pub(crate) marking: String,
    pub(crate) slot: KeySlot,
    pub(crate) key_check: [u8; KEY_CHECK_LEN],
    pub(crate) chunk_size: u32,
}

impl Header {
    /// Everything from the magic to the end of the header: the bytes the
    /// payload key is bound to.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut body = Writer::new();
        body.raw(&self.archive_id)
            .u64(self.created_at_ms)
            .string(&self.marking);
        match &self.slot {
            KeySlot::Passphrase {
                memory_kib,
                iterations,
                lanes,
                salt,
            } => {
                body.u8(KIND_PASSPHRASE)
                    .u32(*memory_kib)
                    .u32(*iterations)
                    .u32(*lanes)
                    .raw(salt);
            }
            KeySlot::Certificate {
                recipient,
                kem_output,
                wrapped_key,
            } => {
                body.u8(KIND_CERTIFICATE)
                    .raw(recipient)
                    .bytes(kem_output)
                    .bytes(wrapped_key);
            }
        }
        body.raw(&self.key_check).u32(self.chunk_size);
        let body = body.into_bytes();
        let mut out = Writer::new();
        out.raw(MAGIC).u8(FORMAT_VERSION).bytes(&body);
        out.into_bytes()
    }

    /// Reads the header from the start of `input`, returning it with its
    /// exact bytes.
    pub(crate) fn read(input: &mut impl Read) -> Result<(Self, Vec<u8>), ArchiveError> {
        let mut lead = [0u8; MAGIC.len() + 1 + 4];
        read_lead(input, &mut lead)?;
        let (magic, rest) = lead.split_at(MAGIC.len());
        if magic != MAGIC {
            return Err(ArchiveError::NotAnArchive);
        }
        let mut reader = Reader::new(rest);
        let version = reader
            .u8("version")
            .map_err(ArchiveError::MalformedHeader)?;
        if version != FORMAT_VERSION {
            return Err(ArchiveError::UnsupportedVersion {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        let len = reader
            .u32("header length")
            .map_err(ArchiveError::MalformedHeader)?;
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        if len > MAX_HEADER_LEN {
            return Err(ArchiveError::MalformedHeader(
                liaison_proto::DecodeError::TooLong {
                    field: "header",
                    len,
                    max: MAX_HEADER_LEN,
                },
            ));
        }
        let mut body = vec![0u8; len];
        input.read_exact(&mut body).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => ArchiveError::Truncated,
            _ => ArchiveError::io("archive header", e),
        })?;
        let header = Self::decode_body(&body).map_err(ArchiveError::MalformedHeader)?;
        let mut bytes = lead.to_vec();
        bytes.extend_from_slice(&body);
        Ok((header, bytes))
    }

    fn decode_body(body: &[u8]) -> Result<Self, liaison_proto::DecodeError> {
        use liaison_proto::DecodeError;
        let mut r = Reader::new(body);
        let archive_id = r.array("archive id")?;
        let created_at_ms = r.u64("created at")?;
        let marking = r.string("marking", MAX_MARKING_LEN)?.to_owned();
        let slot = match r.u8("key kind")? {
            KIND_PASSPHRASE => KeySlot::Passphrase {
                memory_kib: r.u32("memory")?,
                iterations: r.u32("iterations")?,
                lanes: r.u32("lanes")?,
                salt: r.array("salt")?,
            },
            KIND_CERTIFICATE => KeySlot::Certificate {
                recipient: r.array("recipient")?,
                kem_output: r.bytes("kem output", MAX_HPKE_FIELD)?.to_vec(),
                wrapped_key: r.bytes("wrapped key", MAX_HPKE_FIELD)?.to_vec(),
            },
            _ => return Err(DecodeError::InvalidValue("key kind")),
        };
        let key_check = r.array("key check")?;
        let chunk_size = r.u32("chunk size")?;
        if chunk_size == 0 || chunk_size > MAX_CHUNK_SIZE {
            return Err(DecodeError::InvalidValue("chunk size"));
        }
        r.finish()?;
        Ok(Self {
            archive_id,
            created_at_ms,
            marking,
            slot,
            key_check,
            chunk_size,
        })
    }
}

/// The chunk size new archives are written with.
pub(crate) fn default_chunk_size() -> u32 {
    CHUNK_SIZE
}

/// Reads the magic, version and header length; a file too short for them
/// is not an archive rather than a truncated one.
fn read_lead(input: &mut impl Read, lead: &mut [u8]) -> Result<(), ArchiveError> {
    let mut filled = 0;
    while filled < lead.len() {
        let Some(rest) = lead.get_mut(filled..) else {
            break;
        };
        match input.read(rest) {
            Ok(0) => {
                let magic_seen = lead.get(..MAGIC.len()) == Some(MAGIC.as_slice());
                return Err(if filled >= MAGIC.len() && magic_seen {
                    ArchiveError::Truncated
                } else {
                    ArchiveError::NotAnArchive
                });
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ArchiveError::io("archive header", e)),
        }
    }
    Ok(())
}
