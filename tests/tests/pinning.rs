//! Partner authorities pinned per profile, against the real relay.
//!
//! The attack: a channel's creator makes a certification authority of its
//! own with the very name of a real partner's ("GBR Liaison Authority
//! (exercise)"), lists it among the channel's anchors, certifies invented
//! officers with it, and adds a genuine officer. The relay's operator was
//! careless and trusts that authority too, so the relay's own check (the
//! channel's anchors must be among the relay's) does not stop it. Before
//! pinning, the officer joined at its next sync and saw the invented
//! members as verified. Now the officer's profile has not pinned that
//! authority: the sync holds the Welcome as an invitation showing every
//! authority's name and fingerprint, nothing of the channel is shown, and
//! only an explicit acceptance with the look-alike's own fingerprint joins.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_core::{AuditScope, DeliveryService as _, Draft, EngineError, Fingerprint, PinError};

#[tokio::test]
async fn a_look_alike_authority_trusted_by_a_careless_relay_is_not_joined_without_the_officers_confirmation()
 {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let look_alike = nation("GBR");
    assert_eq!(
        liaison_core::authority_name(look_alike.certificate_der()).unwrap(),
        liaison_core::authority_name(gbr.certificate_der()).unwrap(),
        "the same name"
    );
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &look_alike])).await;
    let at = relay.endpoint.clone();
    let genuine = vec![
        gbr.certificate_der().to_vec(),
        fra.certificate_der().to_vec(),
    ];
    // The channel's creator, and an officer it invented under its own
    // authority.
    let mut creator = Member::enrol(&at, identity(&gbr, "gbr.creator")).await;
    let mut invented = Member::enrol(&at, identity(&look_alike, "gbr.invented")).await;
    // The victim pinned the genuine partnership at onboarding.
    let mut victim = Member::enrol_pinning(&at, identity(&fra, "fra.officer"), genuine).await;

    let channel = creator
        .engine
        .create_channel(cell_policy(&["gbr.creator"], &[&gbr, &fra, &look_alike]))
        .unwrap();
    assert_eq!(creator.flush().await, 0, "the careless relay registers it");
    creator.add(&channel, &["gbr.invented"]).await;
    invented.sync().await;
    assert!(invented.is_active(&channel));
    creator.add(&channel, &["fra.officer"]).await;
    // Sent once the victim is a member: what it would have read at once.
    invented.sync().await;
    invented
        .say(&channel, Draft::text("Invented orders: stand down at K7"))
        .await;

    // The victim's sync does not join.
    let report = victim.sync().await;

    assert_eq!(report.invitations_held.len(), 1);
    assert!(
        victim.engine.channels().unwrap().is_empty(),
        "joined silently"
    );
    assert!(matches!(
        victim.engine.members(&channel),
        Err(EngineError::UnknownChannel)
    ));
    assert!(
        victim
            .engine
            .messages(&channel)
            .unwrap_or_default()
            .is_empty()
    );
    assert!(
        within("welcomes", victim.client.welcomes())
            .await
            .unwrap()
            .is_empty(),
        "dealt with at the relay: the profile keeps it"
    );
    let invitations = victim.engine.invitations().unwrap();
    assert_eq!(invitations.len(), 1);
    let invitation = &invitations[0];
    assert_eq!(invitation.channel, channel);
    assert_eq!(invitation.channel_name, PARTNERSHIP);
    assert_eq!(
        invitation.invited_by.as_ref().unwrap().officer_id,
        "gbr.creator"
    );
    let look_print = Fingerprint::of(look_alike.certificate_der());
    let unpinned: Vec<(&str, Fingerprint)> = invitation
        .anchors
        .iter()
        .filter(|a| !a.pinned)
        .map(|a| (a.name.as_str(), a.fingerprint))
        .collect();
    assert_eq!(
        unpinned,
        [("GBR Liaison Authority (exercise)", look_print)],
        "the look-alike, with the real one's name and its own fingerprint"
    );
    assert!(
        victim
            .engine
            .store()
            .audit_log(AuditScope::Group(&channel.0), None, 10)
            .unwrap()
            .iter()
            .any(|e| e.event == "invitation.held" && e.detail.contains(&look_print.to_string()))
    );
    // Later syncs neither join nor show anything of it.
    victim.sync().await;
    assert!(victim.engine.channels().unwrap().is_empty());

    // Confirming by name, with the real GBR authority's fingerprint, or
    // with a fingerprint of no authority of the channel, is refused.
    let by_name = victim
        .engine
        .accept_invitation(invitation.id, &[Fingerprint::of(gbr.certificate_der())]);
    assert!(
        matches!(
            by_name,
            Err(EngineError::Pinning(PinError::Unconfirmed { ref missing }))
                if missing.len() == 1 && missing[0].fingerprint == look_print
        ),
        "{by_name:?}"
    );
    let wrong = victim
        .engine
        .accept_invitation(invitation.id, &[Fingerprint::of(b"not an authority")]);
    assert!(
        matches!(wrong, Err(EngineError::Pinning(PinError::NotAnAnchor(_)))),
        "{wrong:?}"
    );
    assert!(victim.engine.channels().unwrap().is_empty());
    assert!(!victim.engine.is_pinned(&look_print).unwrap());

    // Explicit acceptance with the look-alike's own fingerprint: the
    // officer now trusts it, joins, and catches up.
    let joined = victim
        .engine
        .accept_invitation(invitation.id, &[look_print])
        .unwrap();
    assert_eq!(joined, channel);
    victim.sync().await;
    assert!(victim.engine.is_pinned(&look_print).unwrap());
    assert_eq!(
        victim.bodies(&channel),
        ["Invented orders: stand down at K7"]
    );
    let view = assert_agree([&mut creator, &mut invented, &mut victim], &channel);
    assert_eq!(
        view.officers(),
        ["gbr.creator", "gbr.invented", "fra.officer"]
    );
    relay.stop().await;
}
