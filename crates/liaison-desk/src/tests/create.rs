//! A new channel from the window, and the policy preview's structured
//! issues: the form offers the pinned authorities (the user's own first)
//! and a starting ceiling; a request is checked whole (a default above the
//! ceiling, an authority not pinned, a ceiling the user may not read, an
//! admin the ceiling does not admit); a valid one creates the channel with
//! the user as admin, audited. A preview flags a default and admins a
//! change makes invalid, and proposes a default that fits.

use super::harness::{
    Events, TestRelay, anchors, desk_config, eventually, exercise_request, issuer, nation, online,
    partner, test_desk,
};
use crate::label_spec::nato_spec as nato;
use crate::views::{AdmissionReason, ExcessView, LabelField, OnRemoval, PolicyIssue};
use crate::{Desk, ErrorKind, NewChannelRequest};
use liaison_core::{Authority, Fingerprint};

fn print(authority: &Authority) -> String {
    Fingerprint::of(authority.certificate_der()).to_string()
}

fn request(anchors: &[&Authority]) -> NewChannelRequest {
    NewChannelRequest {
        name: "GBR–FRA planning".into(),
        ceiling: nato("NATO SECRET", &["FRA", "GBR"]),
        default_label: nato("NATO RESTRICTED", &["FRA", "GBR"]),
        admins: vec!["fra.other".into()],
        anchors: anchors.iter().map(|a| print(a)).collect(),
        retention_days: Some(90),
        on_removal: OnRemoval::Purge,
    }
}

/// A GBR desk user cleared NATO SECRET, offline, who pinned GBR and FRA.
async fn offline_desk(gbr: &Authority, fra: &Authority) -> (Desk, Events, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let events = Events::default();
    let mut config = desk_config(home.path(), Some(gbr), None, &events);
    config.issuer = Some(issuer(gbr, &[fra.certificate_der().to_vec()]));
    let desk = Desk::new(config);
    desk.create_exercise_profile(exercise_request("gbr.desk", "pw"))
        .await
        .unwrap();
    (desk, events, home)
}

#[tokio::test]
async fn a_channel_is_created_from_the_form_with_the_user_as_admin_and_audited() {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let (desk, events, _home) = offline_desk(&gbr, &fra).await;

    let policies = desk.label_policies().await.unwrap();
    assert!(policies.iter().any(|p| p.id == "NATO"), "{policies:?}");
    let form = desk.new_channel_form().await.unwrap();
    let offered: Vec<(&str, bool)> = form
        .anchors
        .iter()
        .map(|a| (a.fingerprint.as_str(), a.own))
        .collect();
    assert_eq!(
        offered,
        [(print(&gbr).as_str(), true), (print(&fra).as_str(), false)]
    );
    assert_eq!(form.suggested_ceiling, Some(nato("NATO SECRET", &["GBR"])));

    let request = request(&[&gbr, &fra]);
    assert_eq!(desk.check_new_channel(&request).await.unwrap(), []);
    let id = desk.new_channel(&request).await.unwrap();
    assert!(events.names().contains(&"channels"));

    let listed = desk.list_channels().await.unwrap();
    let channel = listed.iter().find(|c| c.id == id).unwrap();
    assert_eq!(channel.name, "GBR–FRA planning");
    assert!(channel.is_admin && channel.active);
    assert_eq!(channel.ceiling.marking, "NATO SECRET//REL TO FRA, GBR");
    let policy = desk.channel_policy(&id).await.unwrap();
    assert_eq!(policy.admins, ["fra.other", "gbr.desk"]);
    assert_eq!(policy.default_label.classification, "NATO RESTRICTED");
    assert_eq!(policy.retention_days, Some(90));
    assert_eq!(policy.on_removal, OnRemoval::Purge);
    let members = desk.list_members(&id).await.unwrap();
    assert_eq!(members.len(), 1);
    assert!(members[0].is_self);

    let audit = desk
        .audit_log(&crate::AuditRequest {
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    let created = audit
        .iter()
        .find(|e| e.kind == "channel.created")
        .expect("the creation is audited");
    assert_eq!(created.channel_id.as_deref(), Some(id.as_str()));
    assert!(created.detail.contains("GBR–FRA planning"), "{created:?}");
}

#[tokio::test]
async fn a_default_above_the_ceiling_is_refused_with_its_reasons_and_a_fix() {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let (desk, _events, _home) = offline_desk(&gbr, &fra).await;
    let mut request = request(&[&gbr, &fra]);
    request.ceiling = nato("NATO CONFIDENTIAL", &["FRA", "GBR"]);
    request.default_label = nato("NATO SECRET", &["GBR"]);
    let issues = desk.check_new_channel(&request).await.unwrap();
    assert_eq!(
        issues,
        [PolicyIssue::DefaultAboveCeiling {
            default: "NATO SECRET//REL TO GBR".into(),
            ceiling: "NATO CONFIDENTIAL//REL TO FRA, GBR".into(),
            excess: vec![
                ExcessView::Level {
                    level: "NATO SECRET".into(),
                    limit: "NATO CONFIDENTIAL".into()
                },
                ExcessView::LeavesOutNations {
                    nations: vec!["FRA".into()]
                },
            ],
        }]
    );
    let refused = desk.new_channel(&request).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        refused.to_app_error().field.as_deref(),
        Some("defaultLabel")
    );
    assert!(desk.list_channels().await.unwrap().is_empty());

    // A part no policy knows is named, never guessed at.
    request.default_label = nato("NATO SECRET", &["gbr"]);
    assert_eq!(
        desk.check_new_channel(&request).await.unwrap(),
        [PolicyIssue::UnknownLabelPart {
            field: LabelField::DefaultLabel,
            part: "gbr".into()
        }]
    );
}

#[tokio::test]
async fn only_pinned_authorities_with_the_users_own_may_be_anchors() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let (desk, _events, _home) = offline_desk(&gbr, &fra).await;

    let mut request = request(&[&gbr, &deu]);
    request.anchors.push("zz".into());
    assert_eq!(
        desk.check_new_channel(&request).await.unwrap(),
        [
            PolicyIssue::UnknownAnchor {
                fingerprint: print(&deu)
            },
            PolicyIssue::UnknownAnchor {
                fingerprint: "zz".into()
            },
        ]
    );
    let refused = desk.new_channel(&request).await.unwrap_err();
    assert_eq!(refused.to_app_error().field.as_deref(), Some("anchors"));

    assert_eq!(
        desk.check_new_channel(&self::request(&[&fra]))
            .await
            .unwrap(),
        [PolicyIssue::OwnAuthorityMissing]
    );
    assert_eq!(
        desk.check_new_channel(&self::request(&[])).await.unwrap(),
        [PolicyIssue::NoAnchor]
    );
    // Colons and case as the user may have copied them.
    let mut loose = self::request(&[&gbr]);
    loose.anchors = vec![print(&gbr).replace(':', "").to_lowercase()];
    assert_eq!(desk.check_new_channel(&loose).await.unwrap(), []);
    assert!(desk.list_channels().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_ceiling_must_admit_the_user_and_admins_must_be_officer_ids() {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let (desk, _events, _home) = offline_desk(&gbr, &fra).await;

    let mut request = request(&[&gbr, &fra]);
    request.ceiling = nato("COSMIC TOP SECRET", &["FRA", "GBR"]);
    assert_eq!(
        desk.check_new_channel(&request).await.unwrap(),
        [PolicyIssue::SelfNotAdmitted {
            reason: AdmissionReason::LevelTooLow {
                held: "NATO SECRET".into(),
                required: "COSMIC TOP SECRET".into()
            }
        }]
    );
    request.ceiling = nato("NATO SECRET", &["FRA"]);
    request.default_label = nato("NATO RESTRICTED", &["FRA"]);
    assert_eq!(
        desk.check_new_channel(&request).await.unwrap(),
        [PolicyIssue::SelfNotAdmitted {
            reason: AdmissionReason::NotReleasable {
                nationality: "GBR".into()
            }
        }]
    );

    let mut request = self::request(&[&gbr, &fra]);
    request.name = " ".into();
    request.admins = vec![" ".into(), "x".repeat(200), "gbr.desk".into()];
    let issues = desk.check_new_channel(&request).await.unwrap();
    assert_eq!(
        issues,
        [
            PolicyIssue::NameMissing,
            PolicyIssue::BadOfficerId {
                officer: String::new()
            },
            PolicyIssue::BadOfficerId {
                officer: "x".repeat(200)
            },
        ]
    );
    let refused = desk.new_channel(&request).await.unwrap_err();
    assert_eq!(refused.to_app_error().field.as_deref(), Some("name"));

    // The user is an admin without being listed.
    let mut request = self::request(&[&gbr]);
    request.admins.clear();
    let id = desk.new_channel(&request).await.unwrap();
    assert_eq!(desk.channel_policy(&id).await.unwrap().admins, ["gbr.desk"]);
}

#[tokio::test]
async fn directory_admins_are_checked_against_the_ceiling_and_a_preview_fixes_the_default() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let desk = test_desk(Some(&gbr), Some(&relay.endpoint));
    let desk = &desk.desk;
    desk.create_exercise_profile(exercise_request("gbr.desk", "pw"))
        .await
        .unwrap();
    online(desk).await;
    let _admin = partner(&relay.endpoint, &deu, "DEU", "deu.admin", "NATO SECRET").await;
    let _low = partner(&relay.endpoint, &fra, "FRA", "fra.low", "NATO RESTRICTED").await;

    let all = ["DEU", "FRA", "GBR"];
    let cell = NewChannelRequest {
        name: "Cell".into(),
        ceiling: nato("NATO SECRET", &all),
        default_label: nato("NATO RESTRICTED", &all),
        admins: vec!["deu.admin".into()],
        anchors: [&gbr, &fra, &deu].iter().map(|a| print(a)).collect(),
        retention_days: None,
        on_removal: OnRemoval::Keep,
    };
    let id = desk.new_channel(&cell).await.unwrap();
    // The relay shows its whole directory to channel admins only: once
    // the new channel is registered, the user is one.
    eventually("the directory lists both partners", || async {
        desk.officer_directory()
            .await
            .is_ok_and(|officers| officers.len() == 2)
    })
    .await;
    let directory = desk.officer_directory().await.unwrap();
    let ids: Vec<&str> = directory.iter().map(|o| o.officer_id.as_str()).collect();
    assert!(!ids.contains(&"gbr.desk"));
    let low = directory
        .iter()
        .find(|o| o.officer_id == "fra.low")
        .unwrap();
    assert_eq!(
        (low.nationality.as_str(), low.clearance.as_str()),
        ("FRA", "NATO RESTRICTED")
    );
    assert_eq!(low.authority, print(&fra));

    // An admin the ceiling does not admit is a warning, not a refusal.
    let mut request = cell.clone();
    request.admins.push("fra.low".into());
    let issues = desk.check_new_channel(&request).await.unwrap();
    assert_eq!(
        issues,
        [PolicyIssue::AdminNotAdmitted {
            officer_id: "fra.low".into(),
            display_name: "Officer fra.low".into(),
            reason: AdmissionReason::LevelTooLow {
                held: "NATO RESTRICTED".into(),
                required: "NATO SECRET".into()
            }
        }]
    );
    // The same warning in a policy preview, for an admin not yet a member.
    let mut edit = desk.channel_policy(&id).await.unwrap();
    edit.admins.push("fra.low".into());
    let preview = desk.preview_policy(&id, &edit).await.unwrap();
    assert!(preview.allowed, "{:?}", preview.issues);
    assert_eq!(preview.issues, issues);
    desk.add_member(&id, "deu.admin", None).await.unwrap();

    // Lowering the ceiling below the default, and past DEU.
    let mut edit = desk.channel_policy(&id).await.unwrap();
    edit.ceiling = nato("NATO UNCLASSIFIED", &["FRA", "GBR"]);
    let preview = desk.preview_policy(&id, &edit).await.unwrap();
    assert!(!preview.allowed);
    let removed: Vec<(&str, &AdmissionReason)> = preview
        .removed
        .iter()
        .map(|r| (r.member.officer_id.as_str(), &r.reason))
        .collect();
    let not_deu = AdmissionReason::NotReleasable {
        nationality: "DEU".into(),
    };
    assert_eq!(removed, [("deu.admin", &not_deu)]);
    assert_eq!(
        preview.issues,
        [
            PolicyIssue::DefaultAboveCeiling {
                default: "NATO RESTRICTED//REL TO DEU, FRA, GBR".into(),
                ceiling: "NATO UNCLASSIFIED//REL TO FRA, GBR".into(),
                excess: vec![ExcessView::Level {
                    level: "NATO RESTRICTED".into(),
                    limit: "NATO UNCLASSIFIED".into()
                }],
            },
            PolicyIssue::AdminNotAdmitted {
                officer_id: "deu.admin".into(),
                display_name: "Officer deu.admin".into(),
                reason: not_deu.clone(),
            },
        ]
    );
    let fixed = preview.fixed_default.clone().unwrap();
    assert_eq!(fixed.classification, "NATO UNCLASSIFIED");
    // A change sent with the old default is refused, for its default.
    let refused = desk.change_policy(&id, &edit).await.unwrap_err();
    assert_eq!(
        refused.to_app_error().field.as_deref(),
        Some("defaultLabel")
    );

    // With the proposed default the change is allowed; the admin it
    // removes stays a warning.
    edit.default_label = fixed;
    let preview = desk.preview_policy(&id, &edit).await.unwrap();
    assert!(preview.allowed, "{:?}", preview.issues);
    assert_eq!(preview.fixed_default, None);
    assert!(matches!(
        preview.issues.as_slice(),
        [PolicyIssue::AdminNotAdmitted { officer_id, .. }] if officer_id == "deu.admin"
    ));
    desk.change_policy(&id, &edit).await.unwrap();
    let policy = desk.channel_policy(&id).await.unwrap();
    assert_eq!(policy.default_label.classification, "NATO UNCLASSIFIED");
    eventually("the DEU admin is removed", || async {
        !desk
            .list_members(&id)
            .await
            .unwrap()
            .iter()
            .any(|m| m.officer_id == "deu.admin")
    })
    .await;

    // A change that would remove the user is refused, and says why; the
    // removed DEU officer, still listed as an admin, is judged from the
    // directory.
    let mut edit = desk.channel_policy(&id).await.unwrap();
    edit.ceiling = nato("NATO UNCLASSIFIED", &["FRA"]);
    edit.default_label = nato("NATO UNCLASSIFIED", &["FRA"]);
    let preview = desk.preview_policy(&id, &edit).await.unwrap();
    assert!(!preview.allowed);
    assert_eq!(
        preview.issues,
        [
            PolicyIssue::AdminNotAdmitted {
                officer_id: "deu.admin".into(),
                display_name: "Officer deu.admin".into(),
                reason: not_deu,
            },
            PolicyIssue::RemovesYou {
                reason: AdmissionReason::NotReleasable {
                    nationality: "GBR".into()
                }
            },
        ]
    );
    relay.stop().await;
}
