//! Who is kept out, and where: an officer whose clearance or nationality
//! does not fit is refused by the admin's engine before anything reaches
//! the relay; an add committed by a non-admin is forbidden by the relay and
//! moves no member; a removed member can neither read nor decrypt new
//! traffic; officers of untrusted authorities, revoked officers and
//! impostors are refused at authentication.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use liaison_core::{
    CertificateSerial, DeliveryError, DeliveryService, DeviceKey, Draft, EngineError, OutgoingKind,
    RelayClient, RuleViolation, join_pending,
};
use liaison_proto::Submission;

#[tokio::test]
async fn officer_whose_clearance_or_nationality_does_not_fit_is_refused_before_reaching_the_relay()
{
    let (gbr, fra, deu, usa) = (nation("GBR"), nation("FRA"), nation("DEU"), nation("USA"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu, &usa])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    // Under-cleared, and of a trusted authority outside the REL TO.
    let mut low = Member::enrol(
        &at,
        identity_cleared(&fra, "fra.trainee", "NATO CONFIDENTIAL"),
    )
    .await;
    let mut yank = Member::enrol(
        &at,
        identity_cleared(&usa, "usa.officer", "COSMIC TOP SECRET"),
    )
    .await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu, &usa]),
        &mut [&mut fr],
    )
    .await;
    let before = assert_agree([&mut admin, &mut fr], &channel);
    let cursor = fr.engine.cursor(&channel).unwrap();

    for refused_id in ["fra.trainee", "usa.officer"] {
        let package = within("claiming", admin.client.claim_key_package(refused_id))
            .await
            .unwrap();
        let error = admin.engine.add_members(&channel, &[package]).unwrap_err();
        assert!(
            matches!(
                error,
                EngineError::Rule(RuleViolation::NotAdmitted { ref officer, .. })
                    if officer == refused_id
            ),
            "{error:?}"
        );
        assert!(
            admin.engine.outbox().unwrap().is_empty(),
            "a refused add left something to send"
        );
    }
    // Nothing reached the relay: no new delivery for the members, no
    // Welcome for the refused officers, nobody moved.
    assert_eq!(admin.flush().await, 0);
    let report = fr.sync().await;
    assert_eq!((report.applied, report.refused), (0, 0));
    assert_eq!(fr.engine.cursor(&channel).unwrap(), cursor);
    for refused in [&mut low, &mut yank] {
        refused.sync().await;
        assert!(refused.engine.channels().unwrap().is_empty());
    }
    assert_eq!(assert_agree([&mut admin, &mut fr], &channel), before);
    relay.stop().await;
}

/// A commit adding `package`, built by `member` with openmls directly from
/// its stored group state, skipping the engine's own admin check. The
/// commit is built on an in-memory provider: the member's store is not
/// touched. Stamped as an honest client would: the admin rule is what
/// refuses it.
fn rogue_add(member: &Member, channel: &liaison_core::ChannelId, package: &[u8]) -> Submission {
    let crafted = member.craft(channel, Hostile::Add(package), stamp_now());
    Submission {
        group_id: channel.0.clone(),
        message: crafted.message,
        welcome: crafted.welcome,
    }
}

#[tokio::test]
async fn add_committed_by_a_non_admin_is_forbidden_by_the_relay_and_moves_no_member() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let mut newcomer = Member::enrol(&at, identity(&deu, "deu.newcomer")).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr, &mut de],
    )
    .await;
    for member in [&mut admin, &mut fr, &mut de] {
        member.sync().await;
    }
    let before = assert_agree([&mut admin, &mut fr, &mut de], &channel);
    let cursors: Vec<u64> = [&admin, &fr, &de]
        .iter()
        .map(|m| m.engine.cursor(&channel).unwrap())
        .collect();

    // The engine refuses first (rule 9)...
    let package = within("claiming", fr.client.claim_key_package("deu.newcomer"))
        .await
        .unwrap();
    let error = fr
        .engine
        .add_members(&channel, std::slice::from_ref(&package))
        .unwrap_err();
    assert!(
        matches!(error, EngineError::Rule(RuleViolation::NotAdmin { .. })),
        "{error:?}"
    );
    assert!(fr.engine.outbox().unwrap().is_empty());
    // ...and a client that skips that check meets the relay's refusal.
    let submission = rogue_add(&fr, &channel, &package);
    let refused = within("rogue submit", fr.client.submit(submission)).await;
    assert!(
        matches!(refused, Err(DeliveryError::Forbidden(ref why)) if why.contains("not an admin")),
        "{refused:?}"
    );

    // Nobody moved: no delivery, no Welcome, same epoch and roster.
    for member in [&mut admin, &mut fr, &mut de] {
        let report = member.sync().await;
        assert_eq!((report.applied, report.refused), (0, 0), "{}", member.id());
    }
    let after: Vec<u64> = [&admin, &fr, &de]
        .iter()
        .map(|m| m.engine.cursor(&channel).unwrap())
        .collect();
    assert_eq!(after, cursors);
    assert_eq!(
        within(
            "welcomes",
            join_pending(&mut newcomer.engine, &newcomer.client)
        )
        .await
        .unwrap(),
        liaison_core::JoinReport::default()
    );
    assert_eq!(
        assert_agree([&mut admin, &mut fr, &mut de], &channel),
        before
    );

    // The group is intact: FRA's next message reads everywhere, and the
    // admin's add of the same officer goes through.
    fr.say(&channel, Draft::text("Toujours là")).await;
    admin.add(&channel, &["deu.newcomer"]).await;
    for member in [&mut fr, &mut de, &mut newcomer, &mut admin] {
        member.sync().await;
    }
    let view = assert_agree([&mut admin, &mut fr, &mut de, &mut newcomer], &channel);
    assert_eq!(view.epoch, before.epoch + 1);
    assert_eq!(
        view.officers(),
        ["gbr.admin", "fra.officer", "deu.officer", "deu.newcomer"]
    );
    assert_eq!(de.bodies(&channel), ["Toujours là"]);
    assert_eq!(admin.bodies(&channel), ["Toujours là"]);
    relay.stop().await;
}

#[tokio::test]
async fn removed_member_can_neither_fetch_nor_decrypt_new_traffic() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let outsider = Member::enrol(&at, identity(&deu, "deu.outsider")).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr, &mut de],
    )
    .await;
    admin.say(&channel, Draft::text("before")).await;
    de.sync().await;
    assert_eq!(de.bodies(&channel), ["before"]);

    admin
        .commit(&channel, |engine, ch| {
            engine.remove_members(ch, &["deu.officer"])
        })
        .await;
    let report = de.sync().await;
    assert!(report.removed_self);
    assert!(!de.is_active(&channel));
    let removal = de.engine.cursor(&channel).unwrap();

    admin.say(&channel, Draft::text("after")).await;
    fr.sync().await;
    assert_eq!(fr.bodies(&channel), ["before", "after"]);
    let new_traffic = within("fetch", fr.client.fetch(&channel.0, removal, 100))
        .await
        .unwrap();
    assert_eq!(new_traffic.len(), 1);

    // The relay hands the removed member nothing past its removal, refuses
    // it a subscription and any submission.
    let fetched = within("fetch", de.client.fetch(&channel.0, removal, 100))
        .await
        .unwrap();
    assert!(fetched.is_empty(), "{} deliveries leaked", fetched.len());
    let history = within("fetch", de.client.fetch(&channel.0, 0, 100))
        .await
        .unwrap();
    assert!(history.iter().all(|d| d.seq <= removal));
    assert_eq!(
        within("subscribe", de.client.subscribe(&channel.0, removal))
            .await
            .unwrap_err(),
        DeliveryError::NotMember
    );
    let resubmitted = within(
        "submit",
        de.client.submit(Submission {
            group_id: channel.0.clone(),
            message: new_traffic[0].message.clone(),
            welcome: None,
        }),
    )
    .await;
    assert_eq!(resubmitted, Err(DeliveryError::NotMember));
    // An officer never added is not a member either.
    assert_eq!(
        within("fetch", outsider.client.fetch(&channel.0, 0, 100))
            .await
            .unwrap_err(),
        DeliveryError::NotMember
    );

    // Handed the ciphertext anyway, the removed member cannot read it.
    assert!(de.engine.receive(&new_traffic[0]).is_err());
    assert_eq!(de.bodies(&channel), ["before"]);
    assert!(matches!(
        de.engine.send(&channel, Draft::text("still here?")),
        Err(EngineError::ReadOnly)
    ));
    assert!(
        !de.engine
            .outbox()
            .unwrap()
            .iter()
            .any(|o| o.kind == OutgoingKind::Application)
    );
    relay.stop().await;
}

#[tokio::test]
async fn untrusted_revoked_and_impostor_officers_are_refused_at_authentication() {
    let (mut gbr, rus) = (nation("GBR"), nation("RUS"));
    let good = identity(&gbr, "gbr.good");
    let revoked = identity(&gbr, "gbr.revoked");
    let ivan = identity(&rus, "rus.ivan");
    gbr.authority_mut()
        .revoke(&CertificateSerial::of_certificate(revoked.chain.leaf()).unwrap());
    let now = SystemTime::now();
    let crl = gbr
        .authority()
        .crl(
            now - Duration::from_secs(60),
            now + Duration::from_secs(86_400),
        )
        .unwrap();
    let relay = TestRelay::start(anchors(&[&gbr]).with_crl(crl).unwrap()).await;
    let at = relay.endpoint.clone();

    assert_eq!(
        at.connect(&ivan).await.unwrap_err(),
        DeliveryError::UnknownAuthority
    );
    assert_eq!(
        at.connect(&revoked).await.unwrap_err(),
        DeliveryError::CertificateRevoked
    );
    // A valid certificate without its device key proves nothing.
    let stolen = within(
        "connecting",
        RelayClient::connect(
            at.client_config(),
            good.chain.clone(),
            DeviceKey::generate().unwrap(),
        ),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(stolen, DeliveryError::Unauthenticated(_)),
        "{stolen:?}"
    );
    // The same relay lets the good officer in.
    let client = at.connect(&good).await.unwrap();
    assert_eq!(client.officer_id(), "gbr.good");
    assert_eq!(
        within("count", client.key_package_count()).await.unwrap(),
        (0, false)
    );
    relay.stop().await;
}
