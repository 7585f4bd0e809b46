//! Exporting a channel's history (or a date range of it) to one encrypted
//! archive file.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use liaison_identity::{CertificateChain, Fingerprint, verify_credential};

use super::error::{ArchiveError, SearchError};
use super::format::header::{ARCHIVE_ID_LEN, Header, KeySlot, default_chunk_size};
use super::format::keys::{RootSecret, passphrase_slot};
use super::format::records::{Manifest, MessageRecord, Record};
use super::format::stream::ChunkWriter;
use super::highest::highest_label;
use super::progress::{Progress, Reporter};
use crate::channel::EngineError;
use crate::engine::{ChannelId, Engine, check_admission};
use crate::store::tables::channels;
use crate::store::tables::messages::{self, SignedRow};
use crate::store::{KdfParams, Passphrase, files};
use liaison_rules::{ChannelPolicy, RuleViolation};
use liaison_rules::{Clearance, Label};

/// How a new archive is protected.
#[derive(Debug)]
pub enum ArchiveProtection {
    /// A passphrase, stretched with Argon2id at these costs (the store's
    /// defaults are [`KdfParams::default`]).
    Passphrase {
        /// The passphrase; must not be empty.
        passphrase: Passphrase,
        /// Argon2id costs.
        params: KdfParams,
    },
    /// An officer's certificate chain: only the holder of its private key
    /// opens the archive. The certificate must verify against the channel's
    /// partner authorities, and its clearance must admit the channel
    /// ceiling and every exported label.
    Certificate(CertificateChain),
}

/// What to export, and where.
#[derive(Debug)]
pub struct ExportRequest {
    /// The channel.
    pub channel: ChannelId,
    /// Only messages sent at or after this time (Unix milliseconds).
    pub from_ms: Option<u64>,
    /// Only messages sent at or before this time (Unix milliseconds).
    pub to_ms: Option<u64>,
    /// The archive file to write (replaced if it exists).
    pub path: PathBuf,
    /// How the archive is protected.
    pub protection: ArchiveProtection,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// Messages in the archive.
    pub messages: u64,
    /// Size of the archive file in bytes.
    pub bytes: u64,
    /// The archive file.
    pub path: PathBuf,
}

/// What an export of a channel over a sent-time range would hold
/// ([`Engine::export_contents`]): what its file's header and handling name.
#[derive(Debug, Clone)]
pub struct ExportContents {
    /// Messages in the range.
    pub messages: u64,
    /// How many of them are EXERCISE traffic.
    pub exercise: u64,
    /// Their highest label ([`highest_label`]: the one the archive header
    /// carries), `None` for an empty range.
    pub highest: Option<Label>,
}

fn to_sql(v: Option<u64>, default: i64) -> i64 {
    v.map_or(default, |v| i64::try_from(v).unwrap_or(i64::MAX))
}

impl Engine {
    /// Writes the channel's messages sent in the requested range, oldest
    /// first, to one encrypted archive file with the channel policy (and so
    /// the partner authorities' certificates) and, per message, the signed
    /// envelope, its signature and the sender's certificate chain.
    ///
    /// The file is written to a temporary sibling, synced and renamed into
    /// place: on any failure no file, or the previous one, is left at
    /// `path`. `progress` is called as messages are written.
    pub fn export_archive(
        &self,
        request: &ExportRequest,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ExportReport, ArchiveError> {
        if let (Some(from), Some(to)) = (request.from_ms, request.to_ms)
            && to < from
        {
            return Err(SearchError::InvertedRange.into());
        }
        let conn = self.store().connection();
        let (name, policy_bytes) = channels::name_and_policy(conn, &request.channel.0)?
            .ok_or(EngineError::UnknownChannel)?;
        let policy = ChannelPolicy::decode(&policy_bytes, self.registry())?;
        let from = to_sql(request.from_ms, 0);
        let to = to_sql(request.to_ms, i64::MAX);
        let total = messages::count_sent_between(conn, &request.channel.0, from, to)?.total;
        let labels = self.exported_labels(&request.channel, from, to)?;
        let marking = highest_label(&labels)
            .map(Label::marking)
            .unwrap_or_default();

        let mut archive_id = [0u8; ARCHIVE_ID_LEN];
        getrandom::fill(&mut archive_id).map_err(|_| ArchiveError::Randomness)?;
        let (slot, root) = self.key_slot(request, &policy, &labels, &archive_id)?;
        let header = Header {
            archive_id,
            created_at_ms: self.now_ms(),
            marking,
            key_check: root.key_check(&archive_id)?,
            slot,
            chunk_size: default_chunk_size(),
        };
        let header_bytes = header.encode();
        let key = root.payload_key(&header_bytes)?;
        drop(root);

        let manifest = Manifest {
            exported_by: self.officer_id().to_owned(),
            source_group: request.channel.0.clone(),
            channel_name: name,
            policy: policy_bytes,
            from_ms: request.from_ms,
            to_ms: request.to_ms,
            message_count: total,
        };
        let written = write_atomically(&request.path, |file| {
            let mut out = BufWriter::with_capacity(256 * 1024, file);
            out.write_all(&header_bytes)
                .map_err(|e| ArchiveError::io(&request.path, e))?;
            let mut chunks = ChunkWriter::new(out, key, header.chunk_size);
            Record::Manifest(manifest.clone()).write(&mut chunks)?;
            let mut reporter = Reporter::new(manifest.message_count, progress);
            let mut count = 0u64;
            messages::for_each_signed_between(conn, &request.channel.0, from, to, |row| {
                Record::Message(message_record(row)?).write(&mut chunks)?;
                count += 1;
                reporter.step();
                Ok::<_, ArchiveError>(())
            })?;
            Record::End {
                message_count: count,
            }
            .write(&mut chunks)?;
            reporter.finish();
            let (out, _) = chunks.finish()?;
            let file = out
                .into_inner()
                .map_err(|e| ArchiveError::io(&request.path, e.into_error()))?;
            Ok((file, count))
        })?;
        let bytes = fs::metadata(&request.path)
            .map_err(|e| ArchiveError::io(&request.path, e))?
            .len();
        let (protection, recipient) = match &header.slot {
            KeySlot::Passphrase { .. } => ("passphrase", None),
            KeySlot::Certificate { recipient, .. } => (
                "certificate",
                Some(super::format::fingerprint_text(recipient)),
            ),
        };
        self.store().record(
            Some(&request.channel.0),
            &crate::AuditEvent::ArchiveExported {
                messages: written,
                protection,
                recipient,
            },
        )?;
        Ok(ExportReport {
            messages: written,
            bytes,
            path: request.path.clone(),
        })
    }

    /// What an export of `channel` over `[from_ms, to_ms]` (either end
    /// open) holds: the messages [`Engine::export_archive`] would write, how
    /// many are EXERCISE, and their highest label, for the officer to see
    /// before anything is written.
    pub fn export_contents(
        &self,
        channel: &ChannelId,
        from_ms: Option<u64>,
        to_ms: Option<u64>,
    ) -> Result<ExportContents, ArchiveError> {
        let conn = self.store().connection();
        if channels::name_and_policy(conn, &channel.0)?.is_none() {
            return Err(EngineError::UnknownChannel.into());
        }
        let (from, to) = (to_sql(from_ms, 0), to_sql(to_ms, i64::MAX));
        let labels = self.exported_labels(channel, from, to)?;
        let count = messages::count_sent_between(conn, &channel.0, from, to)?;
        Ok(ExportContents {
            messages: count.total,
            exercise: count.exercise,
            highest: highest_label(&labels).cloned(),
        })
    }

    /// The distinct labels of the messages in the range.
    fn exported_labels(
        &self,
        channel: &ChannelId,
        from: i64,
        to: i64,
    ) -> Result<Vec<Label>, ArchiveError> {
        let rows = messages::labels_sent_between(self.store().connection(), &channel.0, from, to)?;
        let mut labels = Vec::new();
        for bytes in rows {
            labels.push(
                Label::from_bytes(&bytes, self.registry())
                    .map_err(|e| EngineError::Rule(RuleViolation::from(e)))?,
            );
        }
        Ok(labels)
    }

    /// The key slot and root secret for the requested protection; for a
    /// certificate, checks the recipient may hold what is exported.
    fn key_slot(
        &self,
        request: &ExportRequest,
        policy: &ChannelPolicy,
        labels: &[Label],
        archive_id: &[u8; ARCHIVE_ID_LEN],
    ) -> Result<(KeySlot, RootSecret), ArchiveError> {
        match &request.protection {
            ArchiveProtection::Passphrase { passphrase, params } => {
                if passphrase.is_empty() {
                    return Err(ArchiveError::EmptyPassphrase);
                }
                let slot = passphrase_slot(*params)?;
                let KeySlot::Passphrase {
                    memory_kib,
                    iterations,
                    lanes,
                    salt,
                } = &slot
                else {
                    return Err(ArchiveError::Crypto("building the passphrase slot"));
                };
                let root = RootSecret::from_passphrase(
                    passphrase,
                    *memory_kib,
                    *iterations,
                    *lanes,
                    salt,
                )?;
                Ok((slot, root))
            }
            ArchiveProtection::Certificate(chain) => {
                let key = chain.leaf_public_key()?;
                let verified = verify_credential(chain, policy.anchors(), self.now(), &key)
                    .map_err(|error| RuleViolation::Credential {
                        officer: chain
                            .claimed_officer_id()
                            .unwrap_or_else(|| "the recipient".into()),
                        error,
                    })?;
                check_admission(&verified, policy, self.registry())?;
                let officer = verified.attributes();
                let clearance = Clearance::from_attribute(officer.clearance(), self.registry())
                    .map_err(RuleViolation::from)?;
                for label in labels {
                    clearance
                        .admits(label, officer.nationality())
                        .map_err(|reason| RuleViolation::NotAdmitted {
                            officer: officer.officer_id().to_owned(),
                            reason,
                        })?;
                }
                let root = RootSecret::generate()?;
                let (kem_output, wrapped_key) = root.wrap_for(&key, archive_id)?;
                let slot = KeySlot::Certificate {
                    recipient: *Fingerprint::of(chain.leaf()).as_bytes(),
                    kem_output,
                    wrapped_key,
                };
                Ok((slot, root))
            }
        }
    }
}

fn message_record(row: SignedRow) -> Result<MessageRecord, ArchiveError> {
    let corrupt =
        |what: &str| EngineError::CorruptStore(format!("stored {what} has the wrong length"));
    Ok(MessageRecord {
        message_id: row
            .message_id
            .as_slice()
            .try_into()
            .map_err(|_| corrupt("message id"))?,
        seq: row.seq,
        epoch: row.epoch,
        received_at_ms: row.received_at_ms,
        envelope: row.envelope,
        signature: row
            .signature
            .as_slice()
            .try_into()
            .map_err(|_| corrupt("signature"))?,
        sender_chain: row.sender_chain,
    })
}

/// Runs `write` on a fresh temporary file next to `path`, then syncs it and
/// renames it over `path`. On failure the temporary file is removed and
/// `path` is untouched. `write` returns the file and a value to pass on.
fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(fs::File) -> Result<(fs::File, T), ArchiveError>,
) -> Result<T, ArchiveError> {
    let mut suffix = [0u8; 6];
    getrandom::fill(&mut suffix).map_err(|_| ArchiveError::Randomness)?;
    let file_name = path
        .file_name()
        .ok_or_else(|| {
            ArchiveError::io(
                path,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
            )
        })?
        .to_string_lossy()
        .into_owned();
    let temp = path.with_file_name(format!(".{file_name}.{}.partial", hex::encode(suffix)));
    let file = files::create_private(&temp, false).map_err(|e| ArchiveError::io(&temp, e))?;
    let result = write(file).and_then(|(file, value)| {
        file.sync_all().map_err(|e| ArchiveError::io(&temp, e))?;
        drop(file);
        fs::rename(&temp, path).map_err(|e| ArchiveError::io(path, e))?;
        files::sync_parent(path).map_err(|e| ArchiveError::io(path, e))?;
        Ok(value)
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}
