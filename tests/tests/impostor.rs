//! Each partner authority has its own officer-id namespace at the relay:
//! another trusted authority certifying the same officer id ("gbr.victim"
//! issued by FRA) reaches none of the real officer's key packages or
//! Welcomes, and an admin adding "gbr.victim" is told the id is ambiguous
//! instead of being handed the impostor.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_core::{DeliveryError, DeliveryService, Fingerprint};

#[tokio::test]
async fn an_officer_id_certified_by_another_authority_reaches_nothing_of_the_real_officer() {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut victim = Member::enrol(&at, identity(&gbr, "gbr.victim")).await;
    let victim_packages = within("count", victim.client.key_package_count())
        .await
        .unwrap();
    // The impostor: the same officer id, certified by FRA.
    let impostor = Member::enrol(&at, identity(&fra, "gbr.victim")).await;
    assert_eq!(
        within("count", victim.client.key_package_count())
            .await
            .unwrap(),
        victim_packages,
        "the impostor's publication touched the real officer's packages"
    );

    // Without the authority, the claim is ambiguous, not the impostor's.
    let ambiguous = within("claim", admin.client.claim_key_package("gbr.victim")).await;
    assert!(
        matches!(ambiguous, Err(DeliveryError::AmbiguousOfficer(_))),
        "{ambiguous:?}"
    );
    // Named by authority, the real officer is added.
    let package = within(
        "claim from GBR",
        admin
            .client
            .claim_key_package_from("gbr.victim", &Fingerprint::of(gbr.certificate_der())),
    )
    .await
    .unwrap();
    let channel = admin
        .engine
        .create_channel(cell_policy(&["gbr.admin"], &[&gbr, &fra]))
        .unwrap();
    assert_eq!(admin.flush().await, 0);
    admin
        .commit(&channel, |engine, ch| {
            engine.add_members(ch, std::slice::from_ref(&package))
        })
        .await;

    // The Welcome waits for the real officer only.
    assert!(
        within("impostor's welcomes", impostor.client.welcomes())
            .await
            .unwrap()
            .is_empty(),
        "the impostor read the real officer's Welcome"
    );
    victim.sync().await;
    assert!(victim.is_active(&channel));
    let view = assert_agree([&mut admin, &mut victim], &channel);
    assert_eq!(view.officers(), ["gbr.admin", "gbr.victim"]);
    relay.stop().await;
}
