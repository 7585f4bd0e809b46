//! Export and import round trips, for a passphrase and for a certificate,
//! from bulk history and from a live channel.

use std::path::Path;

use liaison_proto::Precedence;

use super::corpus::{LEVELS, generate, vocabulary};
use super::fixture::{
    DAY_MS, Identity, Nation, Officer, identity, label, nation, now_ms, officer, policy,
};
use crate::archive::{
    ArchiveError, ArchiveKeyKind, ArchiveProtection, ChannelOrigin, ExportRequest, ImportRequest,
    Progress, SearchQuery, Verification, inspect_archive,
};
use crate::channel::EngineError;
use crate::delivery::LoopbackRelay;
use crate::engine::{ChannelId, Draft};
use crate::store::{KdfParams, Passphrase};
use liaison_rules::RuleViolation;

/// Cheap Argon2id costs: the tests are about the format, not the KDF.
pub(super) fn cheap() -> KdfParams {
    KdfParams::new(64, 1, 1).unwrap()
}

pub(super) fn passphrase(text: &str) -> ArchiveProtection {
    ArchiveProtection::Passphrase {
        passphrase: Passphrase::new(text.to_owned()),
        params: cheap(),
    }
}

/// Three nations, their officers, and a GBR officer's store with a channel
/// of `count` real signed messages from all three.
pub(super) struct Scene {
    pub(super) nations: [Nation; 3],
    pub(super) exporter: Officer,
    pub(super) channel: ChannelId,
}

pub(super) fn scene(count: usize) -> Scene {
    let nations = [nation("GBR"), nation("FRA"), nation("DEU")];
    let senders = [
        identity(&nations[0], "gbr.smith", "NATO SECRET"),
        identity(&nations[1], "fra.martin", "NATO SECRET"),
        identity(&nations[2], "deu.weber", "NATO SECRET"),
    ];
    let exporter = officer(&senders[0], None);
    let vocabulary = vocabulary(500);
    let samples = generate(
        11,
        count,
        1,
        senders.len(),
        &vocabulary,
        now_ms() - 60 * DAY_MS,
    );
    let labels: Vec<_> = LEVELS.iter().map(|m| label(m)).collect();
    let messages: Vec<_> = samples
        .iter()
        .map(|s| {
            senders[s.sender].bulk_message(
                s.id,
                &labels[s.level],
                s.precedence,
                s.body.clone(),
                s.sent_at_ms,
            )
        })
        .collect();
    let [gbr, fra, deu] = &nations;
    let channel = exporter.bulk_channel(
        &policy("GBR-FRA-DEU border cell", &["gbr.smith"], &[gbr, fra, deu]),
        &messages,
    );
    Scene {
        nations,
        exporter,
        channel,
    }
}

impl Scene {
    /// A FRA officer's profile that knows the three authorities through a
    /// channel of its own.
    pub(super) fn importer(&self) -> (Identity, Officer) {
        let [gbr, fra, deu] = &self.nations;
        let who = identity(fra, "fra.durand", "NATO SECRET");
        let officer = officer(&who, None);
        officer.bulk_channel(
            &policy("Other cell", &["fra.durand"], &[gbr, fra, deu]),
            &[],
        );
        (who, officer)
    }

    pub(super) fn export(&self, path: &Path, protection: ArchiveProtection) -> u64 {
        let request = ExportRequest {
            channel: self.channel.clone(),
            from_ms: None,
            to_ms: None,
            path: path.to_owned(),
            protection,
        };
        self.exporter
            .engine
            .export_archive(&request, &mut |_| {})
            .unwrap()
            .messages
    }
}

pub(super) fn import(
    officer: &mut Officer,
    path: &Path,
    passphrase: Option<&str>,
) -> Result<crate::archive::ImportReport, ArchiveError> {
    let request = ImportRequest {
        path: path.to_owned(),
        passphrase: passphrase.map(|p| Passphrase::new(p.to_owned())),
    };
    officer.engine.import_archive(&request, &mut |_| {})
}

#[test]
fn passphrase_archive_round_trips_verified_into_another_profile() {
    let scene = scene(1_500);
    let path = scene.exporter.dir.path().join("cell.liaison-archive");
    let mut exported: Vec<Progress> = Vec::new();
    let report = scene
        .exporter
        .engine
        .export_archive(
            &ExportRequest {
                channel: scene.channel.clone(),
                from_ms: None,
                to_ms: None,
                path: path.clone(),
                protection: passphrase("correct horse battery staple"),
            },
            &mut |p| exported.push(p),
        )
        .unwrap();
    assert_eq!(report.messages, 1_500);
    assert_eq!(report.bytes, std::fs::metadata(&path).unwrap().len());
    assert_eq!(
        exported.last().unwrap(),
        &Progress {
            done: 1_500,
            total: 1_500
        }
    );

    let info = inspect_archive(&path).unwrap();
    assert_eq!(info.key, ArchiveKeyKind::Passphrase);
    assert_eq!(info.marking, "NATO SECRET//REL TO DEU, FRA, GBR");

    let (_, mut importer) = scene.importer();
    let mut imported: Vec<Progress> = Vec::new();
    let report = importer
        .engine
        .import_archive(
            &ImportRequest {
                path: path.clone(),
                passphrase: Some(Passphrase::new("correct horse battery staple".into())),
            },
            &mut |p| imported.push(p),
        )
        .unwrap();
    assert_eq!(
        (
            report.messages,
            report.verified,
            report.unverified,
            report.tampered
        ),
        (1_500, 1_500, 0, 0)
    );
    assert_eq!(report.exported_by, "gbr.smith");
    assert_eq!(imported.last().unwrap().done, 1_500);

    let source = scene.exporter.engine.messages(&scene.channel).unwrap();
    let copy = importer.engine.messages(&report.channel).unwrap();
    assert_eq!(source.len(), copy.len());
    for (a, b) in source.iter().zip(&copy) {
        assert_eq!(a.message_id, b.message_id);
        assert_eq!(a.body, b.body);
        assert_eq!(a.label, b.label);
        assert_eq!(a.portion_marking, b.portion_marking);
        assert_eq!(a.sender_id, b.sender_id);
        assert_eq!(a.sender_nation, b.sender_nation);
        assert_eq!(a.precedence, b.precedence);
        assert_eq!(a.sent_at_ms, b.sent_at_ms);
        assert_eq!(b.verification, Verification::Verified);
    }
    let summary = importer
        .engine
        .channels()
        .unwrap()
        .into_iter()
        .find(|c| c.id == report.channel)
        .unwrap();
    assert_eq!(summary.origin, ChannelOrigin::Imported);
    assert!(summary.archived && !summary.active);
    assert_eq!(summary.name, "GBR-FRA-DEU border cell");
    let policy = importer.engine.stored_policy(&report.channel).unwrap();
    assert_eq!(policy.partnership(), "GBR-FRA-DEU border cell");

    let hits = importer
        .engine
        .search(
            &SearchQuery::new("convoy")
                .unwrap()
                .with_channel(report.channel.clone()),
        )
        .unwrap()
        .hits;
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h.channel_origin == ChannelOrigin::Imported)
    );
    assert!(matches!(
        importer.engine.send(&report.channel, Draft::text("reply")),
        Err(EngineError::ReadOnly)
    ));
    assert!(matches!(
        import(&mut importer, &path, Some("correct horse battery staple")),
        Err(ArchiveError::AlreadyImported { .. })
    ));
}

#[test]
fn certificate_archive_opens_only_for_its_recipient() {
    let scene = scene(200);
    let (recipient, mut importer) = scene.importer();
    let path = scene.exporter.dir.path().join("for-durand.archive");
    scene.export(
        &path,
        ArchiveProtection::Certificate(recipient.chain.clone()),
    );
    let ArchiveKeyKind::Certificate { recipient: shown } = inspect_archive(&path).unwrap().key
    else {
        panic!("a certificate archive");
    };
    assert_eq!(
        shown,
        liaison_identity::Fingerprint::of(recipient.chain.leaf()).to_string()
    );

    let (_, mut other) = scene.importer();
    assert!(matches!(
        import(&mut other, &path, None),
        Err(ArchiveError::NotForThisProfile { .. })
    ));
    let report = import(&mut importer, &path, None).unwrap();
    assert_eq!((report.messages, report.verified), (200, 200));

    // Both ends are in the audit log with their facts.
    let last = |officer: &Officer, kind: &str| {
        officer
            .engine
            .store()
            .audit_log(crate::store::AuditScope::All, None, 100)
            .unwrap()
            .into_iter()
            .find(|e| e.event == kind)
            .and_then(|e| e.facts)
            .unwrap()
    };
    let exported = last(&scene.exporter, "archive.exported");
    assert_eq!(exported.number("messages"), Some(200));
    assert_eq!(exported.text("protection"), Some("certificate"));
    assert!(exported.text("recipient").is_some_and(|r| !r.is_empty()));
    let imported = last(&importer, "archive.imported");
    assert_eq!(imported.number("messages"), Some(200));
    assert_eq!(imported.number("verified"), Some(200));
    assert_eq!(imported.number("tampered"), Some(0));
    assert_eq!(imported.text("archive"), Some(report.archive_id.as_str()));
}

#[test]
fn recipient_must_verify_and_be_cleared_for_the_contents() {
    let scene = scene(20);
    let path = scene.exporter.dir.path().join("refused.archive");
    let request = |chain| ExportRequest {
        channel: scene.channel.clone(),
        from_ms: None,
        to_ms: None,
        path: path.clone(),
        protection: ArchiveProtection::Certificate(chain),
    };
    let low = identity(&scene.nations[1], "fra.junior", "NATO CONFIDENTIAL");
    let result = scene
        .exporter
        .engine
        .export_archive(&request(low.chain), &mut |_| {});
    assert!(
        matches!(
            result,
            Err(ArchiveError::Recipient(RuleViolation::NotAdmitted { .. }))
        ),
        "{result:?}"
    );
    let usa = nation("USA");
    let stranger = identity(&usa, "usa.doe", "NATO SECRET");
    let result = scene
        .exporter
        .engine
        .export_archive(&request(stranger.chain), &mut |_| {});
    assert!(
        matches!(
            result,
            Err(ArchiveError::Recipient(RuleViolation::Credential { .. }))
        ),
        "{result:?}"
    );
    assert!(!path.exists(), "nothing written for a refused recipient");
}

#[test]
fn authorities_unknown_to_the_importer_leave_messages_unverified() {
    let scene = scene(60);
    let path = scene.exporter.dir.path().join("cell.archive");
    scene.export(&path, passphrase("pass"));
    // A FRA officer with no channel: only the FRA authority (its own) is
    // known, so GBR and DEU senders cannot be vouched for.
    let stranger = identity(&scene.nations[1], "fra.new", "NATO SECRET");
    let mut fresh = officer(&stranger, None);
    let report = import(&mut fresh, &path, Some("pass")).unwrap();
    let from_fra = scene
        .exporter
        .engine
        .messages(&scene.channel)
        .unwrap()
        .iter()
        .filter(|m| m.sender_nation == "FRA")
        .count() as u64;
    assert_eq!(report.verified, from_fra);
    assert_eq!(report.unverified, 60 - from_fra);
    assert_eq!(report.tampered, 0);
    let states: Vec<Verification> = fresh
        .engine
        .messages(&report.channel)
        .unwrap()
        .into_iter()
        .map(|m| m.verification)
        .collect();
    assert!(states.contains(&Verification::Unverified));
}

#[test]
fn date_range_exports_only_messages_sent_within_it() {
    let scene = scene(100);
    let messages = scene.exporter.engine.messages(&scene.channel).unwrap();
    let (from, to) = (messages[10].sent_at_ms, messages[29].sent_at_ms);
    let path = scene.exporter.dir.path().join("range.archive");
    let report = scene
        .exporter
        .engine
        .export_archive(
            &ExportRequest {
                channel: scene.channel.clone(),
                from_ms: Some(from),
                to_ms: Some(to),
                path: path.clone(),
                protection: passphrase("pass"),
            },
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(report.messages, 20);
    let (_, mut importer) = scene.importer();
    let imported = import(&mut importer, &path, Some("pass")).unwrap();
    let copy = importer.engine.messages(&imported.channel).unwrap();
    assert_eq!(copy.len(), 20);
    assert!(
        copy.iter()
            .all(|m| m.sent_at_ms >= from && m.sent_at_ms <= to)
    );
}

#[test]
fn live_channel_history_exports_and_verifies_with_its_stored_signatures() {
    let relay = LoopbackRelay::new();
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let admin_id = identity(&gbr, "gbr.admin", "NATO SECRET");
    let fr_id = identity(&fra, "fra.officer", "NATO SECRET");
    let mut admin = officer(&admin_id, Some(&relay));
    let mut fr = officer(&fr_id, Some(&relay));
    let channel = admin
        .engine
        .create_channel(policy("Cell", &["gbr.admin"], &[&gbr, &fra]))
        .unwrap();
    admin.add(&channel, &["fra.officer"]);
    fr.sync();
    for i in 0..5 {
        admin
            .engine
            .send(&channel, Draft::text(format!("From London {i}")))
            .unwrap();
        fr.engine
            .send(
                &channel,
                crate::engine::Draft {
                    precedence: Precedence::Flash,
                    ..Draft::text(format!("From Paris {i}"))
                },
            )
            .unwrap();
    }
    admin.flush();
    fr.flush();
    admin.sync();
    fr.sync();
    assert_eq!(admin.engine.messages(&channel).unwrap().len(), 10);

    let path = admin.dir.path().join("cell.archive");
    admin
        .engine
        .export_archive(
            &ExportRequest {
                channel: channel.clone(),
                from_ms: None,
                to_ms: None,
                path: path.clone(),
                protection: ArchiveProtection::Certificate(fr_id.chain.clone()),
            },
            &mut |_| {},
        )
        .unwrap();
    let report = import(&mut fr, &path, None).unwrap();
    assert_eq!((report.messages, report.verified), (10, 10));
    let copy = fr.engine.messages(&report.channel).unwrap();
    assert!(
        copy.iter()
            .all(|m| m.verification == Verification::Verified)
    );
    // The live channel still shows fr's own messages as its own.
    let live = fr.engine.messages(&channel).unwrap();
    assert_eq!(
        live.iter()
            .filter(|m| m.verification == Verification::Own)
            .count(),
        5
    );
}
