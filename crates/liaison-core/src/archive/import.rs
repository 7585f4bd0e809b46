//! Importing an archive file into this profile, read-only, with every
//! message verified offline.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use liaison_identity::Fingerprint;

use super::error::ArchiveError;
use super::format::fingerprint_text;
use super::format::header::{ARCHIVE_ID_LEN, Header, KeySlot};
use super::format::keys::RootSecret;
use super::format::records::{Manifest, Record};
use super::format::stream::ChunkReader;
use super::offline_verifier::{Checked, OfflineVerifier, Outcome, known_anchors};
use super::progress::{Progress, Reporter};
use super::provenance::Verification;
use super::rows::{LabelColumns, MessageRow, insert_row};
use crate::channel::EngineError;
use crate::engine::{ChannelId, Engine};
use crate::store::tables::messages::index_pending;
use crate::store::tables::{channels, imports};
use crate::store::{Passphrase, Store};
use liaison_rules::ChannelPolicy;

/// Which archive to import.
#[derive(Debug)]
pub struct ImportRequest {
    /// The archive file.
    pub path: PathBuf,
    /// Its passphrase, for a passphrase-protected archive. An archive
    /// addressed to this officer's certificate is opened with the profile's
    /// own key.
    pub passphrase: Option<Passphrase>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The new, archived and imported, channel.
    pub channel: ChannelId,
    /// Its partnership name.
    pub channel_name: String,
    /// The archive's identifier (hex).
    pub archive_id: String,
    /// Who exported it.
    pub exported_by: String,
    /// Messages in the archive.
    pub messages: u64,
    /// Messages verified offline against an authority this profile knows.
    pub verified: u64,
    /// Messages whose sender could not be vouched for here (stored, flagged).
    pub unverified: u64,
    /// Messages whose signature or label failed (flagged when they could be
    /// read at all; an unreadable envelope is counted and not stored).
    pub tampered: u64,
}

impl Engine {
    /// Imports the archive at `request.path` as a new channel of this
    /// profile: archived, read-only, with no MLS group, its origin
    /// `imported`. Nothing is written unless the whole file authenticates:
    /// a flipped byte anywhere fails the import with
    /// [`ArchiveError::Tampered`] (or [`ArchiveError::Truncated`]).
    ///
    /// Every message is then verified offline against the authorities the
    /// archive records, at the time it says it was sent, with the same
    /// credential and envelope checks as receipt; its state
    /// ([`Verification`]) is kept per message and counted in the report.
    pub fn import_archive(
        &mut self,
        request: &ImportRequest,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport, ArchiveError> {
        let path = &request.path;
        let file = File::open(path).map_err(|e| ArchiveError::io(path, e))?;
        let mut input = BufReader::with_capacity(256 * 1024, file);
        let (header, header_bytes) = Header::read(&mut input)?;
        let root = self.open_root(&header, request.passphrase.as_ref())?;
        let key = root.payload_key(&header_bytes)?;
        drop(root);
        let mut chunks = ChunkReader::new(input, key, header.chunk_size);
        let Some(Record::Manifest(manifest)) = Record::read(&mut chunks)? else {
            return Err(ArchiveError::MalformedContent(
                "the archive does not start with its manifest".into(),
            ));
        };
        let policy = ChannelPolicy::decode(&manifest.policy, self.registry())?;
        self.ensure_not_imported(&header.archive_id)?;
        let live = self.live_policies()?;
        let known = known_anchors(&live, self.certificate_chain(), &policy, self.now());
        let registry = self.registry_arc();
        let mut verifier = OfflineVerifier::new(&policy, &registry, known)
            .with_importer_crls(&live)
            .bound_to(&manifest.source_group);
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|_| ArchiveError::Randomness)?;
        let channel = ChannelId(id.to_vec());
        let now_ms = self.now_ms();
        let archive_id = header.archive_id;
        let report = self.store().transaction(|store| {
            let conn = store.connection();
            channels::insert_without_group(
                conn,
                &channel.0,
                &manifest.channel_name,
                &manifest.policy,
                now_ms,
                true,
            )?;
            imports::insert(
                conn,
                &imports::Imported {
                    archive_id: archive_id.as_slice(),
                    group_id: &channel.0,
                    source_group: &manifest.source_group,
                    exported_by: &manifest.exported_by,
                    imported_at_ms: now_ms,
                },
            )?;
            let counts = import_messages(
                store,
                &channel,
                &manifest,
                &mut chunks,
                &mut verifier,
                progress,
            )?;
            index_pending(conn)?;
            let report = ImportReport {
                channel: channel.clone(),
                channel_name: manifest.channel_name.clone(),
                archive_id: hex::encode(archive_id),
                exported_by: manifest.exported_by.clone(),
                messages: counts.messages,
                verified: counts.verified,
                unverified: counts.unverified,
                tampered: counts.tampered,
            };
            store.record(
                Some(&channel.0),
                &crate::AuditEvent::ArchiveImported {
                    archive: report.archive_id.clone(),
                    exported_by: report.exported_by.clone(),
                    messages: report.messages,
                    verified: report.verified,
                    unverified: report.unverified,
                    tampered: report.tampered,
                },
            )?;
            Ok::<_, ArchiveError>(report)
        })?;
        Ok(report)
    }

    /// Recovers the archive's root secret from the header.
    fn open_root(
        &self,
        header: &Header,
        passphrase: Option<&Passphrase>,
    ) -> Result<RootSecret, ArchiveError> {
        match &header.slot {
            KeySlot::Passphrase {
                memory_kib,
                iterations,
                lanes,
                salt,
            } => {
                let passphrase = passphrase.ok_or(ArchiveError::PassphraseRequired)?;
                let root = RootSecret::from_passphrase(
                    passphrase,
                    *memory_kib,
                    *iterations,
                    *lanes,
                    salt,
                )?;
                if !same(&root.key_check(&header.archive_id)?, &header.key_check) {
                    return Err(ArchiveError::WrongPassphrase);
                }
                Ok(root)
            }
            KeySlot::Certificate {
                recipient,
                kem_output,
                wrapped_key,
            } => {
                let own = Fingerprint::of(self.certificate_chain().leaf());
                if own.as_bytes() != recipient {
                    return Err(ArchiveError::NotForThisProfile {
                        recipient: fingerprint_text(recipient),
                    });
                }
                let root = RootSecret::unwrap_with(
                    self.device_key(),
                    kem_output,
                    wrapped_key,
                    &header.archive_id,
                )?;
                if !same(&root.key_check(&header.archive_id)?, &header.key_check) {
                    return Err(ArchiveError::Tampered { chunk: u64::MAX });
                }
                Ok(root)
            }
        }
    }

    fn ensure_not_imported(&self, archive_id: &[u8; ARCHIVE_ID_LEN]) -> Result<(), ArchiveError> {
        let existing = imports::channel_of(self.store().connection(), archive_id.as_slice())?;
        match existing {
            Some(group) => Err(ArchiveError::AlreadyImported {
                channel: hex::encode(group),
            }),
            None => Ok(()),
        }
    }

    /// The policies of the channels this profile is or was a member of.
    fn live_policies(&self) -> Result<Vec<ChannelPolicy>, ArchiveError> {
        let rows = channels::live_policies(self.store().connection())?;
        let mut policies = Vec::new();
        for bytes in rows {
            // A policy this installation cannot read vouches for nothing.
            if let Ok(policy) = ChannelPolicy::decode(&bytes, self.registry()) {
                policies.push(policy);
            }
        }
        Ok(policies)
    }
}

/// Comparison that takes the same time wherever the values differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Default)]
struct Counts {
    messages: u64,
    verified: u64,
    unverified: u64,
    tampered: u64,
}

/// Reads the message records up to the end record, verifying and storing
/// each, then checks the stream ends there.
fn import_messages<R: std::io::BufRead>(
    store: &Store,
    channel: &ChannelId,
    manifest: &Manifest,
    chunks: &mut ChunkReader<R>,
    verifier: &mut OfflineVerifier<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Counts, ArchiveError> {
    let mut counts = Counts::default();
    let mut reporter = Reporter::new(manifest.message_count, progress);
    let mut labels: Vec<(Vec<u8>, LabelColumns)> = Vec::new();
    loop {
        let record = Record::read(chunks)?.ok_or_else(|| {
            ArchiveError::MalformedContent("the archive has no end record".into())
        })?;
        let message = match record {
            Record::Message(message) => message,
            Record::End { message_count } => {
                if message_count != counts.messages || manifest.message_count != counts.messages {
                    return Err(ArchiveError::MalformedContent(
                        "the message count does not match the messages".into(),
                    ));
                }
                break;
            }
            Record::Manifest(_) => {
                return Err(ArchiveError::MalformedContent(
                    "a second manifest inside the archive".into(),
                ));
            }
        };
        counts.messages += 1;
        reporter.step();
        let checked = match verifier.check(&message) {
            Outcome::Store(checked) => checked,
            Outcome::Unreadable => {
                counts.tampered += 1;
                continue;
            }
        };
        let stored = store_checked(store, channel, &message, &checked, &mut labels)?;
        match (stored, checked.verification) {
            // The same message twice: a replayed record.
            (false, _) => counts.tampered += 1,
            (true, Verification::Verified | Verification::Own) => counts.verified += 1,
            (true, Verification::Unverified) => counts.unverified += 1,
            (true, Verification::Tampered) => counts.tampered += 1,
        }
    }
    if Record::read(chunks)?.is_some() {
        return Err(ArchiveError::MalformedContent(
            "records after the end record".into(),
        ));
    }
    reporter.finish();
    Ok(counts)
}

fn store_checked(
    store: &Store,
    channel: &ChannelId,
    record: &super::format::records::MessageRecord,
    checked: &Checked,
    labels: &mut Vec<(Vec<u8>, LabelColumns)>,
) -> Result<bool, ArchiveError> {
    let envelope = &checked.envelope;
    let index = match labels
        .iter()
        .position(|(bytes, _)| *bytes == envelope.label)
    {
        Some(index) => index,
        None => {
            labels.push((envelope.label.clone(), LabelColumns::of(&checked.label)));
            labels.len() - 1
        }
    };
    let Some((_, label)) = labels.get(index) else {
        return Err(EngineError::MalformedMessage("label cache".into()).into());
    };
    let row = MessageRow {
        message_id: &envelope.message_id.0,
        seq: record.seq,
        epoch: record.epoch,
        sender_id: &checked.sender_id,
        sender_name: &checked.sender_name,
        sender_nation: &checked.sender_nation,
        label,
        precedence: envelope.precedence,
        exercise: envelope.kind == liaison_proto::TrafficKind::Exercise,
        body: &envelope.body,
        reference: envelope
            .reference
            .as_ref()
            .map(|r| (r.kind, r.message_id.0)),
        sent_at_ms: envelope.sent_at_ms,
        received_at_ms: record.received_at_ms,
        envelope: &record.envelope,
        signature: &record.signature,
        sender_chain: &record.sender_chain,
        verification: checked.verification,
    };
    Ok(insert_row(store.connection(), &channel.0, &row)?)
}
