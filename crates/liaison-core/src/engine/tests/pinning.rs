//! Pinned partner authorities: what a profile trusts, changed only with the
//! officer's confirmation; channels naming other authorities are held as
//! invitations; profiles made before pinning are seeded once; a policy
//! change that adds an anchor is flagged to every member.

use super::harness::*;
use super::membership::commit_now;
use crate::engine::{PinError, PinSource, Received};
use crate::{AuditScope, Draft, EngineError, Fingerprint};

fn events(officer: &Officer) -> Vec<String> {
    officer
        .engine
        .store()
        .audit_log(AuditScope::All, None, 500)
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.event, e.detail))
        .collect()
}

fn has_event(officer: &Officer, event: &str, containing: &str) -> bool {
    events(officer)
        .iter()
        .any(|e| e.starts_with(event) && e.contains(containing))
}

fn fingerprint(nation: &Nation) -> Fingerprint {
    Fingerprint::of(nation.authority.certificate_der())
}

#[test]
fn the_own_authority_and_the_partners_are_pinned_at_onboarding() {
    let relay = crate::LoopbackRelay::new();
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let outsider = unpinned_nation("DEU");
    let officer = officer(&relay, &gbr, "gbr.officer", "NATO SECRET");

    let pinned = officer.engine.pinned_authorities().unwrap();

    let mut prints: Vec<Fingerprint> = pinned.iter().map(|p| p.fingerprint).collect();
    prints.sort();
    let mut expected = [fingerprint(&gbr), fingerprint(&fra)];
    expected.sort();
    assert_eq!(prints, expected);
    assert!(pinned.iter().all(|p| p.source == PinSource::Onboarding));
    let own = pinned
        .iter()
        .find(|p| p.fingerprint == fingerprint(&gbr))
        .unwrap();
    assert_eq!(own.name, "GBR Liaison Authority");
    assert_eq!(own.certificate, gbr.authority.certificate_der());
    assert!(!officer.engine.is_pinned(&fingerprint(&outsider)).unwrap());
    assert!(has_event(
        &officer,
        "authority.pinned",
        "GBR Liaison Authority"
    ));
}

#[test]
fn pinning_and_unpinning_need_the_fingerprint_the_officer_confirmed() {
    let relay = crate::LoopbackRelay::new();
    let gbr = nation("GBR");
    let mut officer = officer(&relay, &gbr, "gbr.officer", "NATO SECRET");
    let partner = unpinned_nation("FRA");
    let look_alike = unpinned_nation("FRA");
    let der = partner.authority.certificate_der();

    // The look-alike's fingerprint for the real partner's file: refused.
    let error = officer
        .engine
        .pin_authority(der, &fingerprint(&look_alike))
        .unwrap_err();
    assert!(matches!(
        error,
        EngineError::Pinning(PinError::FingerprintMismatch { actual, confirmed })
            if actual == fingerprint(&partner) && confirmed == fingerprint(&look_alike)
    ));
    assert!(!officer.engine.is_pinned(&fingerprint(&partner)).unwrap());

    // An officer certificate is not an authority.
    let leaf = officer.engine.certificate_chain().leaf().to_vec();
    assert!(matches!(
        officer.engine.pin_authority(&leaf, &Fingerprint::of(&leaf)),
        Err(EngineError::Pinning(PinError::NotAnAuthority(_)))
    ));

    let pinned = officer
        .engine
        .pin_authority(der, &fingerprint(&partner))
        .unwrap();
    assert_eq!(pinned.source, PinSource::Officer);
    assert_eq!(pinned.name, "FRA Liaison Authority");
    assert!(officer.engine.is_pinned(&fingerprint(&partner)).unwrap());
    assert!(matches!(
        officer.engine.pin_authority(der, &fingerprint(&partner)),
        Err(EngineError::Pinning(PinError::AlreadyPinned(_)))
    ));
    assert!(has_event(&officer, "authority.pinned", "officer"));

    // Unpinning: the confirmation must repeat the fingerprint.
    assert!(matches!(
        officer
            .engine
            .unpin_authority(&fingerprint(&partner), &fingerprint(&gbr)),
        Err(EngineError::Pinning(PinError::FingerprintMismatch { .. }))
    ));
    assert!(officer.engine.is_pinned(&fingerprint(&partner)).unwrap());
    officer
        .engine
        .unpin_authority(&fingerprint(&partner), &fingerprint(&partner))
        .unwrap();
    assert!(!officer.engine.is_pinned(&fingerprint(&partner)).unwrap());
    assert!(has_event(
        &officer,
        "authority.unpinned",
        &fingerprint(&partner).to_string()
    ));
    assert!(matches!(
        officer
            .engine
            .unpin_authority(&fingerprint(&partner), &fingerprint(&partner)),
        Err(EngineError::Pinning(PinError::NotPinned(_)))
    ));
}

/// The look-alike attack at the engine: a channel creator lists an
/// authority it made itself, with a real partner's name, and adds an
/// officer. The officer does not join until it confirms that authority's
/// fingerprint; no member of the channel is ever shown to it before.
#[test]
fn a_channel_naming_an_unpinned_authority_is_held_until_the_officer_confirms_it() {
    let relay = crate::LoopbackRelay::new();
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let look_alike = unpinned_nation("GBR");
    let mut admin = officer(&relay, &gbr, "gbr.admin", "NATO SECRET");
    let mut fr = officer(&relay, &fra, "fra.officer", "NATO SECRET");
    let policy = channel_policy(
        "GBR-FRA cell",
        CEILING,
        DEFAULT,
        &["gbr.admin"],
        anchors(&[&gbr, &fra, &look_alike]),
    );
    let channel = admin.engine.create_channel(policy).unwrap();
    add(&mut admin, &channel, &["fra.officer"]);
    admin
        .engine
        .send(&channel, Draft::text("sent before the officer decided"))
        .unwrap();
    admin.flush();

    let report = run(crate::sync(&mut fr.engine, &fr.relay)).unwrap();

    assert!(fr.engine.channels().unwrap().is_empty(), "joined silently");
    assert!(matches!(
        fr.engine.members(&channel),
        Err(EngineError::UnknownChannel)
    ));
    assert_eq!(report.invitations_held.len(), 1);
    assert!(
        run(crate::DeliveryService::welcomes(&fr.relay))
            .unwrap()
            .is_empty(),
        "the relay may drop it: the profile keeps it"
    );
    let invitations = fr.engine.invitations().unwrap();
    assert_eq!(invitations.len(), 1);
    let invitation = &invitations[0];
    assert_eq!(invitation.id, report.invitations_held[0]);
    assert_eq!(invitation.channel, channel);
    assert_eq!(invitation.channel_name, "GBR-FRA cell");
    assert_eq!(
        invitation
            .invited_by
            .as_ref()
            .map(|i| i.officer_id.as_str()),
        Some("gbr.admin")
    );
    let shown: Vec<(String, Fingerprint, bool)> = invitation
        .anchors
        .iter()
        .map(|a| (a.name.clone(), a.fingerprint, a.pinned))
        .collect();
    assert_eq!(
        shown,
        [
            ("GBR Liaison Authority".to_owned(), fingerprint(&gbr), true),
            ("FRA Liaison Authority".to_owned(), fingerprint(&fra), true),
            (
                "GBR Liaison Authority".to_owned(),
                fingerprint(&look_alike),
                false
            ),
        ]
    );
    assert!(has_event(
        &fr,
        "invitation.held",
        &fingerprint(&look_alike).to_string()
    ));
    // A second sync neither joins nor holds it twice.
    fr.sync();
    assert_eq!(fr.engine.invitations().unwrap().len(), 1);
    assert!(fr.engine.channels().unwrap().is_empty());

    // Accepting with a wrong fingerprint, or without confirming the
    // unpinned one, is refused and changes nothing.
    let id = invitation.id;
    assert!(matches!(
        fr.engine
            .accept_invitation(id, &[Fingerprint::from_bytes([7; 32])]),
        Err(EngineError::Pinning(PinError::NotAnAnchor(_)))
    ));
    assert!(matches!(
        fr.engine.accept_invitation(id, &[fingerprint(&gbr)]),
        Err(EngineError::Pinning(PinError::Unconfirmed { ref missing }))
            if missing.len() == 1 && missing[0].fingerprint == fingerprint(&look_alike)
    ));
    assert!(matches!(
        fr.engine.accept_invitation(id + 1, &[]),
        Err(EngineError::Pinning(PinError::UnknownInvitation(_)))
    ));
    assert!(!fr.engine.is_pinned(&fingerprint(&look_alike)).unwrap());
    assert!(fr.engine.channels().unwrap().is_empty());

    // Accepted with the right fingerprint: pinned, joined, caught up.
    let joined = fr
        .engine
        .accept_invitation(id, &[fingerprint(&look_alike)])
        .unwrap();

    assert_eq!(joined, channel);
    assert!(fr.engine.invitations().unwrap().is_empty());
    let pin = fr
        .engine
        .pinned_authorities()
        .unwrap()
        .into_iter()
        .find(|p| p.fingerprint == fingerprint(&look_alike))
        .unwrap();
    assert_eq!(pin.source, PinSource::Officer);
    assert!(has_event(&fr, "invitation.accepted", "GBR-FRA cell"));
    fr.sync();
    assert_eq!(fr.bodies(&channel), ["sent before the officer decided"]);
    assert_eq!(fr.engine.members(&channel).unwrap().len(), 2);
}

#[test]
fn join_refuses_an_unpinned_channel_and_consumes_nothing() {
    let relay = crate::LoopbackRelay::new();
    // Only fra.officer's own authority is in its partnership: GBR is not.
    let gbr = unpinned_nation("GBR");
    let fra = nation("FRA");
    let mut admin = officer(&relay, &gbr, "gbr.admin", "NATO SECRET");
    let mut fr = officer(&relay, &fra, "fra.officer", "NATO SECRET");
    let channel = admin
        .engine
        .create_channel(channel_policy(
            "GBR-FRA cell",
            CEILING,
            DEFAULT,
            &["gbr.admin"],
            anchors(&[&gbr, &fra]),
        ))
        .unwrap();
    add(&mut admin, &channel, &["fra.officer"]);
    let welcomes = run(crate::DeliveryService::welcomes(&fr.relay)).unwrap();

    let error = fr.engine.join(&welcomes[0]).unwrap_err();
    match &error {
        EngineError::UnpinnedAuthorities { channel, anchors } => {
            assert_eq!(channel, "GBR-FRA cell");
            let prints: Vec<Fingerprint> = anchors.iter().map(|a| a.fingerprint).collect();
            assert_eq!(prints, [fingerprint(&gbr)], "only the unpinned ones");
            assert!(anchors.iter().all(|a| !a.pinned));
        }
        other => panic!("expected UnpinnedAuthorities, got {other:?}"),
    }
    assert!(error.to_string().contains("GBR Liaison Authority"));
    // Nothing consumed: once pinned, the same Welcome joins.
    assert!(fr.engine.channels().unwrap().is_empty());
    assert!(
        fr.engine.invitations().unwrap().is_empty(),
        "join holds nothing"
    );
    fr.engine
        .pin_authority(gbr.authority.certificate_der(), &fingerprint(&gbr))
        .unwrap();
    assert_eq!(fr.engine.join(&welcomes[0]).unwrap(), channel);
}

#[test]
fn a_declined_invitation_is_forgotten_and_never_joined() {
    let relay = crate::LoopbackRelay::new();
    let gbr = nation("GBR");
    let fra = nation("FRA");
    let look_alike = unpinned_nation("GBR");
    let mut admin = officer(&relay, &gbr, "gbr.admin", "NATO SECRET");
    let mut fr = officer(&relay, &fra, "fra.officer", "NATO SECRET");
    let channel = admin
        .engine
        .create_channel(channel_policy(
            "GBR-FRA cell",
            CEILING,
            DEFAULT,
            &["gbr.admin"],
            anchors(&[&gbr, &fra, &look_alike]),
        ))
        .unwrap();
    add(&mut admin, &channel, &["fra.officer"]);
    fr.sync();
    let id = fr.engine.invitations().unwrap()[0].id;

    let declined = fr.engine.decline_invitation(id).unwrap();

    assert_eq!(declined.channel, channel);
    assert!(fr.engine.invitations().unwrap().is_empty());
    assert!(has_event(&fr, "invitation.declined", "GBR-FRA cell"));
    fr.sync();
    assert!(fr.engine.channels().unwrap().is_empty());
    assert!(!fr.engine.is_pinned(&fingerprint(&look_alike)).unwrap());
    assert!(matches!(
        fr.engine.decline_invitation(id),
        Err(EngineError::Pinning(PinError::UnknownInvitation(_)))
    ));
}

/// A store made before migration 0008: the profile and its channels exist,
/// nothing is pinned. The first opening pins what it already relied on,
/// once; later openings change nothing.
#[test]
fn a_profile_made_before_pinning_pins_its_channels_anchors_once_at_the_first_opening() {
    let cell = cell();
    let outsider = unpinned_nation("USA");
    cell.fr
        .engine
        .store()
        .connection()
        .execute_batch(
            "DROP TABLE invitation_anchors; DROP TABLE invitations;
             DROP TABLE anchor_additions; DROP TABLE pinned_authorities;
             DROP TABLE pinning_upgrade; DROP TABLE rejoins_answered;
             DROP TABLE gaps; DROP TABLE forks;
             ALTER TABLE channels DROP COLUMN departure;
             DROP INDEX audit_by_event; DROP VIEW messages_fts_source; ALTER TABLE audit DROP COLUMN facts;
             PRAGMA user_version = 7;",
        )
        .unwrap();

    let mut fr = cell.fr.reopen();

    assert!(fr.engine.upgraded_pins());
    let pinned = fr.engine.pinned_authorities().unwrap();
    let mut prints: Vec<Fingerprint> = pinned.iter().map(|p| p.fingerprint).collect();
    prints.sort();
    let mut expected = vec![
        fingerprint(&cell.gbr),
        fingerprint(&cell.fra),
        fingerprint(&cell.deu),
    ];
    expected.sort();
    assert_eq!(prints, expected);
    assert!(pinned.iter().all(|p| p.source == PinSource::Upgrade));
    assert!(has_event(&fr, "pinning.seeded", "3 pinned"));
    // The command line then pins the own authority it keeps beside the
    // store; only at this opening.
    assert_eq!(
        fr.engine
            .pin_own_authority_after_upgrade(&[outsider.authority.certificate_der().to_vec()])
            .unwrap(),
        1
    );

    let fr = fr.reopen();
    assert!(!fr.engine.upgraded_pins());
    assert_eq!(fr.engine.pinned_authorities().unwrap().len(), 4);
    let mut fr = fr;
    assert_eq!(
        fr.engine
            .pin_own_authority_after_upgrade(&[unpinned_nation("DEU")
                .authority
                .certificate_der()
                .to_vec()])
            .unwrap(),
        0
    );
    let seeded = events(&fr)
        .iter()
        .filter(|e| e.starts_with("pinning.seeded"))
        .count();
    assert_eq!(seeded, 1);
}

#[test]
fn a_policy_change_that_adds_an_anchor_is_flagged_to_every_member() {
    let mut cell = cell();
    let usa = nation("USA");
    let look_alike = unpinned_nation("DEU");
    let ch = cell.channel.clone();
    let widened = cell
        .admin
        .engine
        .policy(&ch)
        .unwrap()
        .with_anchors(anchors(&[
            &cell.gbr,
            &cell.fra,
            &cell.deu,
            &usa,
            &look_alike,
        ]))
        .unwrap();
    let epoch = commit_now(&mut cell.admin, &ch, |e, ch| {
        e.change_policy(ch, widened.clone())
    });

    let received = cell.fr.receive_all(&ch);

    let added = received
        .into_iter()
        .find_map(|r| match r {
            Ok(Received::Commit { anchors_added, .. }) => Some(anchors_added),
            _ => None,
        })
        .unwrap();
    let shown: Vec<(Fingerprint, bool)> = added.iter().map(|a| (a.fingerprint, a.pinned)).collect();
    // Both were made after fra.officer's onboarding: neither is pinned.
    assert_eq!(
        shown,
        [
            (fingerprint(&usa), false),
            (fingerprint(&look_alike), false)
        ]
    );
    assert!(has_event(
        &cell.fr,
        "channel.anchor_added",
        &fingerprint(&look_alike).to_string()
    ));
    let report = cell.de.pull(&ch);
    assert_eq!(report.anchors_added.len(), 2);
    assert!(report.anchors_added.iter().all(|(c, _)| *c == ch));
    for member in [&cell.fr, &cell.de] {
        let noted = member.engine.anchor_additions(&ch).unwrap();
        assert_eq!(noted.len(), 2);
        assert!(noted.iter().all(|n| n.epoch == epoch));
        assert_eq!(noted[1].anchor.name, "DEU Liaison Authority");
        assert!(!noted[1].anchor.pinned);
    }
    // The admin who made the change is told too.
    assert!(has_event(
        &cell.admin,
        "channel.anchor_added",
        &fingerprint(&usa).to_string()
    ));
    // A change that adds no anchor flags nothing.
    let renamed = cell
        .admin
        .engine
        .policy(&ch)
        .unwrap()
        .with_retention(Some(30), crate::HistoryOnRemoval::Keep);
    commit_now(&mut cell.admin, &ch, |e, ch| {
        e.change_policy(ch, renamed.clone())
    });
    assert!(cell.de.pull(&ch).anchors_added.is_empty());
    assert_eq!(cell.de.engine.anchor_additions(&ch).unwrap().len(), 2);
}
