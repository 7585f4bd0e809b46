//! The archive file format (version 1), documented in `docs/archive.md`:
//!
//! ```text
//! magic "LIAISON ARCHIVE\n" | u8 version | u32 header length | header
//! chunk*          each: u32 ciphertext length | AES-256-GCM ciphertext+tag
//! ```
//!
//! The header ([`header`]) is plaintext: the archive id, the creation time,
//! the marking of the highest label inside, how the key is protected, a
//! key-check value and the chunk size. The chunks ([`stream`]) carry the
//! records ([`records`]) under a key derived from the root secret and every
//! header byte ([`keys`]).

pub(crate) mod header;
pub(crate) mod keys;
pub(crate) mod records;
pub(crate) mod stream;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use self::header::{Header, KeySlot};
use super::error::ArchiveError;

/// The first bytes of every archive file.
pub(crate) const MAGIC: &[u8; 16] = b"LIAISON ARCHIVE\n";
/// The format version this build writes and reads.
pub(crate) const FORMAT_VERSION: u8 = 1;
/// Plaintext bytes per chunk in new archives.
pub(crate) const CHUNK_SIZE: u32 = 64 * 1024;
/// Largest chunk size a reader accepts.
pub(crate) const MAX_CHUNK_SIZE: u32 = 1024 * 1024;
/// Largest header a reader accepts.
pub(crate) const MAX_HEADER_LEN: usize = 8 * 1024;
/// Longest marking in the header.
pub(crate) const MAX_MARKING_LEN: usize = 2048;

/// How an archive file's key is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveKeyKind {
    /// A passphrase (Argon2id).
    Passphrase,
    /// An officer's certificate: only the holder of its private key opens it.
    Certificate {
        /// SHA-256 fingerprint of the recipient's certificate, as
        /// upper-case hex pairs separated by colons (like
        /// `liaison_identity::Fingerprint`).
        recipient: String,
    },
}

/// What an archive file says about itself before it is opened: read
/// without any key, for choosing how to open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveInfo {
    /// The archive's random identifier (hex).
    pub archive_id: String,
    /// When it was written (exporter's clock, Unix milliseconds).
    pub created_at_ms: u64,
    /// The marking of the highest label inside (empty for an archive
    /// without messages). Plaintext so the file is marked at rest; it is
    /// authenticated when the archive is opened.
    pub marking: String,
    /// How the key is protected.
    pub key: ArchiveKeyKind,
}

impl ArchiveInfo {
    pub(crate) fn from_header(header: &Header) -> Self {
        Self {
            archive_id: hex::encode(header.archive_id),
            created_at_ms: header.created_at_ms,
            marking: header.marking.clone(),
            key: match &header.slot {
                KeySlot::Passphrase { .. } => ArchiveKeyKind::Passphrase,
                KeySlot::Certificate { recipient, .. } => ArchiveKeyKind::Certificate {
                    recipient: fingerprint_text(recipient),
                },
            },
        }
    }
}

/// Reads the plaintext header of the archive at `path`. Nothing in it is
/// authenticated until the archive is opened with its key.
pub fn inspect_archive(path: impl AsRef<Path>) -> Result<ArchiveInfo, ArchiveError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| ArchiveError::io(path, e))?;
    let (header, _) = Header::read(&mut BufReader::new(file))?;
    Ok(ArchiveInfo::from_header(&header))
}

/// A certificate fingerprint as administrators compare it: `AB:CD:…`.
pub(crate) fn fingerprint_text(bytes: &[u8; 32]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}
