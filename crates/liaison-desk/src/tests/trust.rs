//! Pinned partner authorities in the desk: what an exercise profile pins
//! at onboarding, an invitation held for a channel naming an authority the
//! user has not pinned, accepted once each fingerprint is confirmed (then
//! caught up by the runtime), or declined; and the notice a policy change
//! adding an authority leaves in the channel.

use super::harness::{
    TestRelay, anchors, cell_policy, desk_config, eventually, exercise_request, nation, online,
    partner,
};
use crate::{AcceptInvitationRequest, Desk, DeskEvent, ErrorKind};
use liaison_core::{Draft, Fingerprint};

fn print(authority: &liaison_core::Authority) -> String {
    Fingerprint::of(authority.certificate_der()).to_string()
}

#[tokio::test]
async fn an_invitation_waits_for_the_user_who_confirms_each_unpinned_authority() {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    // Made by the FRA admin, with the real GBR authority's very name.
    let look_alike = nation("GBR");
    // A careless relay operator trusts the look-alike too.
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &look_alike])).await;
    let mut admin = partner(&relay.endpoint, &fra, "FRA", "fra.admin", "NATO SECRET").await;
    // The desk user's onboarding pins the genuine partnership only.
    let mut partnership = relay.endpoint.clone();
    partnership.partners = vec![
        gbr.certificate_der().to_vec(),
        fra.certificate_der().to_vec(),
    ];
    let home = tempfile::tempdir().unwrap();
    let events = super::harness::Events::default();
    let desk = Desk::new(desk_config(
        home.path(),
        Some(&gbr),
        Some(&partnership),
        &events,
    ));
    desk.create_exercise_profile(exercise_request("gbr.desk", "pw"))
        .await
        .unwrap();
    let pinned = desk.pinned_authorities().await.unwrap();
    let mut prints: Vec<&str> = pinned.iter().map(|p| p.fingerprint.as_str()).collect();
    prints.sort_unstable();
    let mut expected = [print(&gbr), print(&fra)];
    expected.sort();
    assert_eq!(prints, expected);
    assert!(pinned.iter().all(|p| p.source == "onboarding"));
    online(&desk).await;

    let channel = admin
        .create_channel(cell_policy(&["fra.admin"], &[&gbr, &fra, &look_alike]))
        .await;
    admin.add_when_published(&channel, "gbr.desk").await;
    admin
        .engine
        .send(&channel, Draft::text("invented news"))
        .unwrap();
    admin.flush().await;

    eventually("the invitation is held", || async {
        !desk.invitations().await.unwrap().is_empty()
    })
    .await;
    assert!(events.names().contains(&"invitations"));
    assert!(
        desk.list_channels().await.unwrap().is_empty(),
        "joined silently"
    );
    let invitation = desk.invitations().await.unwrap().remove(0);
    assert_eq!(invitation.channel_id, channel.to_hex());
    assert_eq!(invitation.channel_name, "GBR-FRA-DEU border cell");
    assert_eq!(
        invitation
            .invited_by
            .as_ref()
            .map(|i| i.officer_id.as_str()),
        Some("fra.admin")
    );
    let unpinned: Vec<(&str, &str)> = invitation
        .anchors
        .iter()
        .filter(|a| !a.pinned)
        .map(|a| (a.name.as_str(), a.fingerprint.as_str()))
        .collect();
    assert_eq!(
        unpinned,
        [("GBR Liaison Authority", print(&look_alike).as_str())]
    );

    // A wrong or missing confirmation is refused, naming the field.
    for confirmed in [vec![], vec![print(&gbr)], vec!["not a fingerprint".into()]] {
        let error = desk
            .accept_invitation(AcceptInvitationRequest {
                id: invitation.id,
                confirmed_fingerprints: confirmed,
            })
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        assert_eq!(
            error.to_app_error().field.as_deref(),
            Some("confirmedFingerprints")
        );
    }
    assert!(desk.list_channels().await.unwrap().is_empty());

    // Confirmed: joined, and the runtime catches the channel up.
    let joined = desk
        .accept_invitation(AcceptInvitationRequest {
            id: invitation.id,
            confirmed_fingerprints: vec![print(&look_alike).to_lowercase().replace(':', "")],
        })
        .await
        .unwrap();
    assert_eq!(joined, channel.to_hex());
    assert!(desk.invitations().await.unwrap().is_empty());
    eventually("the channel's history arrives", || async {
        desk.thread_page(&joined, 0, 10)
            .await
            .map(|page| page.total == 1)
            .unwrap_or(false)
    })
    .await;
    assert!(
        desk.pinned_authorities()
            .await
            .unwrap()
            .iter()
            .any(|p| p.fingerprint == print(&look_alike) && p.source == "officer")
    );
    assert!(
        desk.audit_log(&crate::AuditRequest {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .iter()
        .any(|e| e.kind == "invitation.accepted")
    );

    // A policy change adding an authority leaves a notice in the channel.
    let second = admin
        .create_channel(cell_policy(&["fra.admin"], &[&gbr, &fra]))
        .await;
    admin.add(&second, &["gbr.desk"]).await;
    eventually("the desk joins the second channel", || async {
        desk.list_channels()
            .await
            .unwrap()
            .iter()
            .any(|c| c.id == second.to_hex())
    })
    .await;
    let ch = second.clone();
    let wider = admin
        .engine
        .policy(&second)
        .unwrap()
        .with_anchors(anchors(&[&gbr, &fra, &look_alike]))
        .unwrap();
    admin
        .commit(&ch, |engine, ch| engine.change_policy(ch, wider.clone()))
        .await;
    eventually("the notice", || async {
        !desk
            .anchor_notices(&second.to_hex())
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    let notices = desk.anchor_notices(&second.to_hex()).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].anchor.fingerprint, print(&look_alike));
    assert!(notices[0].anchor.pinned, "pinned when the user accepted");
    assert_eq!(notices[0].epoch, 2);
    relay.stop().await;
}

#[tokio::test]
async fn a_declined_invitation_is_gone_and_the_channel_never_joined() {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra])).await;
    let mut admin = partner(&relay.endpoint, &fra, "FRA", "fra.admin", "NATO SECRET").await;
    // This user pinned only its own authority.
    let mut alone = relay.endpoint.clone();
    alone.partners = Vec::new();
    let home = tempfile::tempdir().unwrap();
    let events = super::harness::Events::default();
    let desk = Desk::new(desk_config(home.path(), Some(&gbr), Some(&alone), &events));
    desk.create_exercise_profile(exercise_request("gbr.desk", "pw"))
        .await
        .unwrap();
    assert_eq!(desk.pinned_authorities().await.unwrap().len(), 1);
    online(&desk).await;
    let channel = admin
        .create_channel(cell_policy(&["fra.admin"], &[&gbr, &fra]))
        .await;
    admin.add_when_published(&channel, "gbr.desk").await;
    eventually("the invitation is held", || async {
        !desk.invitations().await.unwrap().is_empty()
    })
    .await;
    let id = desk.invitations().await.unwrap()[0].id;

    desk.decline_invitation(id).await.unwrap();

    assert!(desk.invitations().await.unwrap().is_empty());
    assert!(desk.list_channels().await.unwrap().is_empty());
    assert!(
        events
            .all()
            .iter()
            .filter(|e| matches!(e, DeskEvent::Invitations))
            .count()
            >= 2
    );
    let again = desk.decline_invitation(id).await.unwrap_err();
    assert_eq!(again.kind(), ErrorKind::NotFound);
    relay.stop().await;
}

/// `der` as a PEM certificate file in `dir`.
fn certificate_file(dir: &std::path::Path, name: &str, ders: &[&[u8]]) -> std::path::PathBuf {
    use base64::Engine as _;
    let mut text = String::new();
    for der in ders {
        let encoded = base64::engine::general_purpose::STANDARD.encode(der);
        text.push_str("-----BEGIN CERTIFICATE-----\n");
        for line in encoded.as_bytes().chunks(64) {
            text.push_str(std::str::from_utf8(line).unwrap());
            text.push('\n');
        }
        text.push_str("-----END CERTIFICATE-----\n");
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn a_partner_authority_is_pinned_and_unpinned_with_its_fingerprint_confirmed() {
    use super::harness::grant;
    use crate::FilePurpose;
    let (gbr, usa) = (nation("GBR"), nation("USA"));
    let home = tempfile::tempdir().unwrap();
    let events = super::harness::Events::default();
    let desk = Desk::new(desk_config(home.path(), Some(&gbr), None, &events));
    desk.create_exercise_profile(exercise_request("gbr.desk", "pw"))
        .await
        .unwrap();
    let files = tempfile::tempdir().unwrap();
    let file = certificate_file(files.path(), "usa.pem", &[usa.certificate_der()]);
    let token = grant(&desk, FilePurpose::OpenCertificate, &file);

    // Shown first: name, fingerprint, not yet trusted.
    let shown = desk.read_authority(&token).await.unwrap();
    assert_eq!(shown.fingerprint, print(&usa));
    assert!(!shown.pinned);
    assert!(!shown.name.is_empty());
    // Another fingerprint than the file's is refused, and pins nothing.
    let wrong = desk.pin_authority(&token, &print(&gbr)).await.unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::InvalidInput, "{wrong}");
    let garbage = desk.pin_authority(&token, "not hex").await.unwrap_err();
    assert_eq!(garbage.kind(), ErrorKind::InvalidInput, "{garbage}");
    assert_eq!(desk.pinned_authorities().await.unwrap().len(), 1);
    // The fingerprint compared: pinned, by the officer, and the token used up.
    let pinned = desk
        .pin_authority(&token, &shown.fingerprint)
        .await
        .unwrap();
    assert_eq!(pinned.source, "officer");
    assert!(
        desk.pinned_authorities()
            .await
            .unwrap()
            .iter()
            .any(|p| p.fingerprint == print(&usa))
    );
    assert!(desk.read_authority(&token).await.is_err(), "token reused");

    // Unpinning repeats the fingerprint.
    let mismatch = desk
        .unpin_authority(&print(&usa), &print(&gbr))
        .await
        .unwrap_err();
    assert_eq!(mismatch.kind(), ErrorKind::InvalidInput, "{mismatch}");
    let unpinned = desk
        .unpin_authority(&print(&usa), &print(&usa).to_lowercase().replace(':', ""))
        .await
        .unwrap();
    assert_eq!(unpinned.fingerprint, print(&usa));
    assert_eq!(desk.pinned_authorities().await.unwrap().len(), 1);

    // A file of two certificates is not an authority's alone.
    let two = certificate_file(
        files.path(),
        "two.pem",
        &[usa.certificate_der(), gbr.certificate_der()],
    );
    let token = grant(&desk, FilePurpose::OpenCertificate, &two);
    let refused = desk.read_authority(&token).await.unwrap_err();
    assert!(refused.to_string().contains("2 certificates"), "{refused}");
}
