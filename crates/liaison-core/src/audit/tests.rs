#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use super::category::KINDS;
use super::*;
use liaison_rules::{Excess, RuleViolation};

#[test]
fn every_kind_is_listed_once_with_one_category() {
    let mut seen = HashSet::new();
    for (kind, _) in KINDS {
        assert!(seen.insert(*kind), "{kind} listed twice");
    }
    for category in AuditCategory::ALL {
        assert_eq!(AuditCategory::parse(category.as_str()), Some(category));
    }
    assert_eq!(AuditCategory::of_kind("made.up"), AuditCategory::Other);
    assert_eq!(AuditCategory::Other.kinds().count(), 0);
}

#[test]
fn events_name_their_kind_category_and_facts() {
    let by = Officer::new("gbr.admin", "Alice Hart");
    let cases = [
        (
            AuditEvent::MemberAdded {
                by: by.clone(),
                member: Officer::new("fra.officer", "Jean Roux"),
                nationality: Some("FRA".into()),
                epoch: 4,
            },
            "member.added",
            AuditCategory::Membership,
        ),
        (
            AuditEvent::PolicyChanged {
                by: by.clone(),
                change: PolicyChange::Retention {
                    before: None,
                    after: Some(30),
                },
                epoch: 5,
            },
            "policy.retention",
            AuditCategory::Policy,
        ),
        (
            AuditEvent::Unlocked { failed_attempts: 2 },
            "session.unlocked",
            AuditCategory::Security,
        ),
        (
            AuditEvent::ArchiveExported {
                messages: 3,
                protection: "passphrase",
                recipient: None,
            },
            "archive.exported",
            AuditCategory::Archive,
        ),
    ];
    for (event, kind, category) in cases {
        assert_eq!(event.kind(), kind);
        assert_eq!(event.category(), category, "{kind}");
    }
    let added = AuditEvent::MemberAdded {
        by: by.clone(),
        member: Officer::new("fra.officer", "Jean Roux"),
        nationality: Some("FRA".into()),
        epoch: 4,
    };
    let facts = added.facts();
    assert_eq!(facts.text("by"), Some("gbr.admin"));
    assert_eq!(facts.text("byName"), Some("Alice Hart"));
    assert_eq!(facts.text("memberName"), Some("Jean Roux"));
    assert_eq!(facts.number("epoch"), Some(4));
    assert_eq!(
        added.to_string(),
        "Alice Hart (gbr.admin) added Jean Roux (fra.officer) (FRA) at epoch 4"
    );
    // An officer known by id only has no name fact.
    let promoted = AuditEvent::MemberPromoted {
        by,
        member: Officer::id_only("usa.liaison"),
        epoch: 6,
    };
    assert!(promoted.facts().get("memberName").is_none());
    // No limit is told as no fact, not as zero.
    let retention = AuditEvent::PolicyChanged {
        by: Officer::id_only("gbr.admin"),
        change: PolicyChange::Retention {
            before: None,
            after: Some(30),
        },
        epoch: 5,
    };
    assert!(retention.facts().get("before").is_none());
    assert_eq!(retention.facts().number("after"), Some(30));
}

#[test]
fn facts_round_trip_through_their_stored_form() {
    let facts = Facts::new()
        .with("seq", 7u64)
        .with("nations", vec!["DEU".to_owned(), "FRA".to_owned()])
        .nested("why", Facts::new().with("kind", "expired"));
    let back = Facts::from_json(&facts.to_json()).unwrap();
    assert_eq!(back, facts);
    assert!(Facts::from_json("[1, 2]").is_none());
    assert!(Facts::from_json("not json").is_none());
}

#[test]
fn a_ceiling_refusal_keeps_each_excess_as_its_own_fact() {
    let violation = RuleViolation::AboveCeiling {
        label: "NATO SECRET//REL TO GBR".into(),
        ceiling: "NATO SECRET//REL TO FRA, GBR".into(),
        excess: vec![
            Excess::Level {
                level: "COSMIC TOP SECRET".into(),
                limit: "NATO SECRET".into(),
            },
            Excess::LeavesOutNations {
                nations: vec!["FRA".into()],
            },
        ],
    };
    let refusal = Refusal::of_violation(&violation);
    assert_eq!(refusal.code, "aboveCeiling");
    assert_eq!(refusal.text, violation.to_string());
    let facts = refusal.to_facts();
    assert_eq!(facts.text("reason"), Some("aboveCeiling"));
    assert_eq!(facts.text("ceiling"), Some("NATO SECRET//REL TO FRA, GBR"));
    let excess = facts.get("excess").and_then(|v| v.as_array()).unwrap();
    assert_eq!(excess[0]["kind"], "level");
    assert_eq!(excess[0]["level"], "COSMIC TOP SECRET");
    assert_eq!(excess[1]["kind"], "leavesOutNations");
    assert_eq!(excess[1]["nations"][0], "FRA");
}

#[test]
fn an_admin_refusal_names_its_action_by_code() {
    let refusal = Refusal::of_violation(&RuleViolation::NotAdmin {
        officer: "fra.officer".into(),
        action: "change the channel policy",
    });
    assert_eq!(refusal.code, "notAdmin");
    assert_eq!(refusal.facts.text("action"), Some("changePolicy"));
    assert_eq!(refusal.facts.text("officer"), Some("fra.officer"));
}
