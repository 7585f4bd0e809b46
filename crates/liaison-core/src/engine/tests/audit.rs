//! Every audited action records its facts: who did what, before and
//! after, so that the apps can say it in the officer's language.

use liaison_proto::{Precedence, TrafficKind};

use super::harness::*;
use super::membership::commit_now;
use crate::audit::Facts;
use crate::engine::Draft;
use crate::store::{AuditEntry, AuditScope};

/// Every entry of a kind in an officer's log, oldest first.
fn entries(officer: &Officer, kind: &str) -> Vec<AuditEntry> {
    let mut found: Vec<AuditEntry> = officer
        .engine
        .store()
        .audit_log(AuditScope::All, None, 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.event == kind)
        .collect();
    found.reverse();
    found
}

fn facts(entry: &AuditEntry) -> &Facts {
    entry.facts.as_ref().expect("the entry has facts")
}

fn texts<'a>(found: &'a [AuditEntry], key: &str) -> Vec<&'a str> {
    found
        .iter()
        .map(|e| facts(e).text(key).unwrap_or_default())
        .collect()
}

#[test]
fn an_add_names_who_added_whom_with_nationality_and_epoch() {
    let cell = cell();
    let added = entries(&cell.admin, "member.added");
    assert_eq!(texts(&added, "member"), ["deu.officer", "fra.officer"]);
    let fr = added
        .iter()
        .map(facts)
        .find(|f| f.text("member") == Some("fra.officer"))
        .unwrap();
    assert_eq!(fr.text("by"), Some("gbr.admin"));
    assert!(fr.text("byName").is_some_and(|n| !n.is_empty()));
    assert!(fr.text("memberName").is_some_and(|n| !n.is_empty()));
    assert_eq!(fr.text("nationality"), Some("FRA"));
    assert_eq!(fr.number("epoch"), Some(1));
    let merged = entries(&cell.admin, "commit.merged");
    assert_eq!(facts(&merged[0]).text("by"), Some("gbr.admin"));

    // The invited officer's log names the channel and who added them.
    let joined = entries(&cell.fr, "channel.joined");
    let joined = facts(&joined[0]);
    assert_eq!(joined.text("channel"), Some("GBR-FRA-DEU border cell"));
    assert_eq!(joined.text("by"), Some("gbr.admin"));
}

#[test]
fn a_removal_is_told_to_the_members_and_to_the_removed_officer() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    commit_now(&mut cell.admin, &ch, |e, ch| {
        e.remove_members(ch, &["deu.officer"])
    });
    cell.fr.sync();
    cell.de.sync();
    for officer in [&cell.admin, &cell.fr] {
        let removed = entries(officer, "member.removed");
        assert_eq!(removed.len(), 1, "{}", officer.id);
        let facts = facts(&removed[0]);
        assert_eq!(facts.text("member"), Some("deu.officer"));
        assert_eq!(facts.text("by"), Some("gbr.admin"));
        assert!(entries(officer, "member.left").is_empty());
        assert!(
            removed[0].detail.contains("removed"),
            "{}",
            removed[0].detail
        );
    }
    let told = entries(&cell.de, "channel.removed");
    assert_eq!(facts(&told[0]).text("by"), Some("gbr.admin"));
    // The removed officer lists nobody else as removed.
    assert!(entries(&cell.de, "member.removed").is_empty());
}

#[test]
fn a_departure_is_told_as_leaving_not_as_a_removal() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.fr.engine.leave(&ch).unwrap();
    cell.fr.flush();
    cell.admin.sync();
    cell.de.sync();
    let left = entries(&cell.de, "member.left");
    assert_eq!(texts(&left, "member"), ["fra.officer"]);
    assert!(entries(&cell.de, "member.removed").is_empty());
    assert_eq!(entries(&cell.fr, "channel.leave_requested").len(), 1);
}

#[test]
fn promotion_and_demotion_name_the_admin_who_made_them() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    commit_now(&mut cell.admin, &ch, |e, ch| {
        e.set_admin(ch, "fra.officer", true)
    });
    cell.fr.sync();
    cell.de.sync();
    let promoted = entries(&cell.de, "member.promoted");
    assert_eq!(texts(&promoted, "member"), ["fra.officer"]);
    assert_eq!(facts(&promoted[0]).text("by"), Some("gbr.admin"));
    assert!(
        facts(&promoted[0])
            .text("memberName")
            .is_some_and(|n| !n.is_empty())
    );
    commit_now(&mut cell.fr, &ch, |e, ch| {
        e.set_admin(ch, "fra.officer", false)
    });
    cell.de.sync();
    let demoted = entries(&cell.de, "member.demoted");
    assert_eq!(texts(&demoted, "member"), ["fra.officer"]);
    assert_eq!(facts(&demoted[0]).text("by"), Some("fra.officer"));
    // An admin change is not also told as a policy change.
    assert!(
        cell.de
            .engine
            .store()
            .audit_log(AuditScope::All, None, 1000)
            .unwrap()
            .iter()
            .all(|e| !e.event.starts_with("policy."))
    );
}

#[test]
fn a_tightening_records_the_ceiling_and_default_before_and_after() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let before = cell.admin.engine.policy(&ch).unwrap();
    let tighter = before
        .with_labels(
            label("NATO SECRET//REL TO FRA, GBR"),
            label("NATO RESTRICTED//REL TO FRA, GBR"),
        )
        .unwrap();
    commit_now(&mut cell.admin, &ch, |e, ch| {
        e.change_policy(ch, tighter.clone())
    });
    cell.fr.sync();
    for officer in [&cell.admin, &cell.fr] {
        let ceiling = entries(officer, "policy.ceiling");
        assert_eq!(ceiling.len(), 1, "{}", officer.id);
        let ceiling = facts(&ceiling[0]);
        assert_eq!(
            ceiling.text("before"),
            Some(before.ceiling().marking().as_str())
        );
        assert_eq!(ceiling.text("after"), Some("NATO SECRET//REL TO FRA, GBR"));
        assert_eq!(ceiling.text("by"), Some("gbr.admin"));
        let default = entries(officer, "policy.default_label");
        assert_eq!(
            facts(&default[0]).text("after"),
            Some("NATO RESTRICTED//REL TO FRA, GBR")
        );
        // The member the tightening removed is named.
        let removed = entries(officer, "member.removed");
        assert_eq!(texts(&removed, "member"), ["deu.officer"]);
    }
}

#[test]
fn acknowledgements_name_the_message_its_sender_and_who_acknowledged() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let id = cell
        .admin
        .engine
        .send(
            &ch,
            Draft {
                precedence: Precedence::Flash,
                kind: TrafficKind::Operation,
                ..Draft::text("checkpoint closed")
            },
        )
        .unwrap();
    cell.admin.flush();
    cell.fr.sync();
    cell.fr.engine.acknowledge(&ch, id).unwrap();
    // Acknowledging twice records nothing new.
    cell.fr.engine.acknowledge(&ch, id).unwrap();
    cell.fr.flush();
    cell.admin.sync();

    let sent = entries(&cell.fr, "ack.sent");
    assert_eq!(sent.len(), 1);
    let sent = facts(&sent[0]);
    assert_eq!(sent.text("message"), Some(id.to_hex().as_str()));
    assert_eq!(sent.text("sender"), Some("gbr.admin"));
    assert_eq!(sent.text("precedence"), Some("flash"));
    assert_eq!(sent.text("marking"), Some(DEFAULT));

    let received = entries(&cell.admin, "ack.received");
    assert_eq!(received.len(), 1);
    assert_eq!(facts(&received[0]).text("by"), Some("fra.officer"));
    assert_eq!(facts(&received[0]).text("precedence"), Some("flash"));
}

#[test]
fn every_recorded_kind_has_a_category() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    commit_now(&mut cell.admin, &ch, |e, ch| {
        e.set_admin(ch, "fra.officer", true)
    });
    for entry in cell
        .admin
        .engine
        .store()
        .audit_log(AuditScope::All, None, 1000)
        .unwrap()
    {
        assert_ne!(
            entry.category(),
            crate::AuditCategory::Other,
            "{} has no category",
            entry.event
        );
        assert!(entry.facts.is_some(), "{} has no facts", entry.event);
    }
}
