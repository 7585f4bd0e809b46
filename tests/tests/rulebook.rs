//! One rulebook for the relay and every member: the attacks that split a
//! channel for good on the relay's admin-only check, replayed against the
//! real relay. The relay now judges every commit with the members' own
//! rules at the instant the commit states, so it never orders a commit
//! that honest members refuse.
//!
//! 1. A member who is not an admin sends a self-update whose new leaf
//!    carries a certificate for its own officer id from an authority the
//!    channel does not trust: refused by the relay, and the admin can still
//!    remove that member.
//! 2. A member's certificate expires: the admin's next ordinary add removes
//!    that member in the same commit (and says why), every other member
//!    merges it, and the expired officer is refused by the relay.
//! 3. A channel naming a look-alike authority (same name as a real one, made
//!    by the channel's creator) is refused by the relay, at creation and in
//!    a policy change.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use liaison_core::{
    AuditScope, ChannelPolicy, DeliveryError, DeliveryService, DeviceKey, Draft, EngineError,
    RuleViolation, SyncError, flush_outbox,
};
use liaison_demo::{ExerciseAuthority, ExerciseOfficer};
use liaison_proto::Submission;

#[tokio::test]
async fn a_member_cannot_take_a_channel_over_with_an_update_from_an_authority_the_channel_does_not_trust()
 {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    // A second French authority: trusted by the relay (it serves another
    // partnership), but not an anchor of this channel.
    let other_fra =
        ExerciseAuthority::create("FRA", "FRA Regional Authority", "FRA Interior").unwrap();
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu, &other_fra])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr, &mut de],
    )
    .await;
    let before = assert_agree([&mut admin, &mut fr, &mut de], &channel);

    // fra.officer re-certified by the other authority, with a new key.
    let rogue_key = DeviceKey::generate().unwrap();
    let rogue_chain = other_fra
        .issue(
            &ExerciseOfficer::new(
                "fra.officer",
                "Officer fra.officer",
                "FRA",
                "COSMIC TOP SECRET",
            ),
            &rogue_key,
            Duration::from_secs(86_400),
            &registry(),
        )
        .unwrap();
    // A careful attacker stamps its commit as an honest client would.
    let takeover = Submission {
        group_id: channel.0.clone(),
        message: fr
            .craft(
                &channel,
                Hostile::UpdateTo(&rogue_chain, &rogue_key),
                stamp_now(),
            )
            .message,
        welcome: None,
    };
    let refused = within("takeover submit", fr.client.submit(takeover)).await;
    assert!(
        matches!(refused, Err(DeliveryError::Forbidden(ref why)) if why.contains("credential")),
        "the relay ordered a leaf no member accepts: {refused:?}"
    );

    // Nobody moved, and the channel still works: the admin removes the
    // attacker, the others merge it, and the attacker reads nothing more.
    for member in [&mut admin, &mut fr, &mut de] {
        let report = member.sync().await;
        assert_eq!((report.applied, report.refused), (0, 0), "{}", member.id());
    }
    assert_eq!(
        assert_agree([&mut admin, &mut fr, &mut de], &channel),
        before
    );
    admin
        .commit(&channel, |engine, ch| {
            engine.remove_members(ch, &["fra.officer"])
        })
        .await;
    de.sync().await;
    fr.sync().await;
    let view = assert_agree([&mut admin, &mut de], &channel);
    assert_eq!(view.epoch, before.epoch + 1);
    assert_eq!(view.officers(), ["gbr.admin", "deu.officer"]);
    assert!(!fr.is_active(&channel));
    de.say(&channel, Draft::text("Nach der Entfernung")).await;
    admin.sync().await;
    fr.sync().await;
    assert!(
        admin
            .bodies(&channel)
            .contains(&"Nach der Entfernung".to_owned())
    );
    assert!(
        !fr.bodies(&channel)
            .contains(&"Nach der Entfernung".to_owned())
    );
    relay.stop().await;
}

#[tokio::test]
async fn an_expired_member_is_removed_by_the_next_commit_and_the_channel_does_not_split() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut newcomer = Member::enrol(&at, identity(&fra, "fra.newcomer")).await;
    // deu.short's certificate lasts a few seconds (whole seconds: X.509
    // times have no fraction).
    let lifetime = Duration::from_secs(6);
    let expires = SystemTime::now() + lifetime;
    let mut short = Member::enrol(&at, identity_valid_for(&deu, "deu.short", lifetime)).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr, &mut short],
    )
    .await;
    let before = assert_agree([&mut admin, &mut fr, &mut short], &channel);
    assert_eq!(before.officers(), ["gbr.admin", "fra.officer", "deu.short"]);

    // Wait until the certificate has expired.
    if let Ok(left) = expires.duration_since(SystemTime::now()) {
        tokio::time::sleep(left + Duration::from_millis(1500)).await;
    }

    // The admin's ordinary add removes deu.short in the same commit.
    admin.add(&channel, &["fra.newcomer"]).await;
    let reason = admin
        .engine
        .store()
        .audit_log(AuditScope::Group(&channel.0), None, 50)
        .unwrap()
        .into_iter()
        .find(|entry| entry.event == "member.invalid_removed")
        .expect("the admin's client says why deu.short left");
    assert!(reason.detail.contains("deu.short"), "{}", reason.detail);
    for member in [&mut fr, &mut newcomer] {
        let report = member.sync().await;
        assert_eq!(report.refused, 0, "{} refused the commit", member.id());
    }
    let view = assert_agree([&mut admin, &mut fr, &mut newcomer], &channel);
    assert_eq!(view.epoch, before.epoch + 1);
    assert_eq!(
        view.officers(),
        ["gbr.admin", "fra.officer", "fra.newcomer"]
    );
    // The channel keeps working for everyone left.
    newcomer.say(&channel, Draft::text("Arrivé")).await;
    fr.say(&channel, Draft::text("Bienvenue")).await;
    admin.sync().await;
    newcomer.sync().await;
    for member in [&admin, &newcomer] {
        let bodies = member.bodies(&channel);
        assert!(bodies.contains(&"Arrivé".to_owned()), "{}", member.id());
        assert!(bodies.contains(&"Bienvenue".to_owned()), "{}", member.id());
    }

    // The expired officer's device learns it is out: the relay refuses it,
    // and its own engine refuses to send with an expired certificate.
    let error = short
        .engine
        .send(&channel, Draft::text("Encore là?"))
        .unwrap_err();
    assert!(
        matches!(error, EngineError::Rule(RuleViolation::Credential { .. })),
        "{error:?}"
    );
    let offline = short.disconnect();
    let refused = at.connect(&offline.identity).await;
    assert!(
        matches!(refused, Err(DeliveryError::CertificateExpired)),
        "{:?}",
        refused.err()
    );
    relay.stop().await;
}

#[tokio::test]
async fn a_channel_naming_a_look_alike_authority_is_refused_by_the_relay() {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    // Made by the channel's creator, with the very name of the real one
    // ("GBR Liaison Authority (exercise)") but its own key.
    let look_alike = nation("GBR");
    assert_ne!(look_alike.certificate_der(), gbr.certificate_der());
    let relay = TestRelay::start(anchors(&[&gbr, &fra])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;

    // At creation: the relay does not register the group, so nobody can be
    // added to it.
    let rogue = admin
        .engine
        .create_channel(cell_policy(&["gbr.admin"], &[&gbr, &fra, &look_alike]))
        .unwrap();
    let flushed = within(
        "flushing the creation",
        flush_outbox(&mut admin.engine, &admin.client),
    )
    .await;
    assert!(
        matches!(flushed, Err(SyncError::Delivery(DeliveryError::Forbidden(ref why))) if why.contains("does not trust")),
        "the relay registered the group: {flushed:?}"
    );
    // The refusal is rolled back and recorded, not left to block the outbox;
    // the channel the relay would not register is read-only.
    assert!(admin.engine.outbox().unwrap().is_empty());
    assert!(
        admin
            .engine
            .store()
            .audit_log(AuditScope::Group(&rogue.0), None, 10)
            .unwrap()
            .iter()
            .any(|entry| entry.event == "outbox.refused")
    );
    let package = within("claiming", admin.client.claim_key_package("fra.officer"))
        .await
        .unwrap();
    assert!(matches!(
        admin
            .engine
            .add_members(&rogue, std::slice::from_ref(&package)),
        Err(EngineError::ReadOnly)
    ));
    fr.sync().await;
    assert!(fr.engine.channels().unwrap().iter().all(|c| c.id != rogue));

    // In a policy change: refused, and nobody moves.
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra]),
        &mut [&mut fr],
    )
    .await;
    let before = assert_agree([&mut admin, &mut fr], &channel);
    let widened: ChannelPolicy = admin
        .engine
        .policy(&channel)
        .unwrap()
        .with_anchors(anchors(&[&gbr, &fra, &look_alike]))
        .unwrap();
    admin.engine.change_policy(&channel, widened).unwrap();
    let refused = within(
        "flushing the policy change",
        flush_outbox(&mut admin.engine, &admin.client),
    )
    .await;
    assert!(
        matches!(refused, Err(SyncError::Delivery(DeliveryError::Forbidden(ref why))) if why.contains("does not trust")),
        "the relay ordered a look-alike anchor: {refused:?}"
    );
    assert!(admin.engine.outbox().unwrap().is_empty());
    fr.sync().await;
    admin.sync().await;
    assert_eq!(assert_agree([&mut admin, &mut fr], &channel), before);
    relay.stop().await;
}
