//! Admission, removal, leaving, promotion, policy changes, commit races.

use super::harness::*;
use crate::delivery::commit_with_retry;
use crate::engine::Draft;
use crate::{EngineError, RuleViolation, SyncError};

#[test]
fn officer_whose_clearance_is_below_the_ceiling_is_refused_at_add() {
    let mut cell = cell();
    let low = officer(&cell.relay, &cell.fra, "fra.low", "NATO CONFIDENTIAL");
    let package = run(crate::DeliveryService::claim_key_package(
        &cell.admin.relay,
        &low.id,
    ))
    .unwrap();
    let error = cell
        .admin
        .engine
        .add_members(&cell.channel, &[package])
        .unwrap_err();
    assert!(matches!(
        error,
        EngineError::Rule(RuleViolation::NotAdmitted { .. })
    ));
    assert!(cell.admin.engine.outbox().unwrap().is_empty());
}

#[test]
fn officer_of_a_nation_outside_the_releasability_is_refused_at_add() {
    let mut cell = cell();
    let usa = nation("USA");
    // Even a trusted authority's officer with a high clearance: USA is not in
    // the ceiling's REL TO.
    let anchors = anchors(&[&cell.gbr, &cell.fra, &cell.deu, &usa]);
    let policy = cell
        .admin
        .engine
        .policy(&cell.channel)
        .unwrap()
        .with_anchors(anchors)
        .unwrap();
    commit_now(&mut cell.admin, &cell.channel, |e, ch| {
        e.change_policy(ch, policy.clone())
    });
    let us = officer(&cell.relay, &usa, "usa.officer", "COSMIC TOP SECRET");
    let package = run(crate::DeliveryService::claim_key_package(
        &cell.admin.relay,
        &us.id,
    ))
    .unwrap();
    let error = cell
        .admin
        .engine
        .add_members(&cell.channel, &[package])
        .unwrap_err();
    assert!(matches!(
        error,
        EngineError::Rule(RuleViolation::NotAdmitted { .. })
    ));
}

#[test]
fn officer_of_an_untrusted_authority_is_refused_at_add() {
    let mut cell = cell();
    let rogue = nation("FRA");
    let impostor = officer(&cell.relay, &rogue, "fra.impostor", "NATO SECRET");
    let package = run(crate::DeliveryService::claim_key_package(
        &cell.admin.relay,
        &impostor.id,
    ))
    .unwrap();
    let error = cell
        .admin
        .engine
        .add_members(&cell.channel, &[package])
        .unwrap_err();
    assert!(matches!(
        error,
        EngineError::Rule(RuleViolation::Credential { .. })
    ));
}

#[test]
fn non_admin_cannot_add_remove_or_change_policy() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let error = cell
        .fr
        .engine
        .remove_members(&ch, &["deu.officer"])
        .unwrap_err();
    assert!(matches!(
        error,
        EngineError::Rule(RuleViolation::NotAdmin { .. })
    ));
    let error = cell
        .fr
        .engine
        .set_admin(&ch, "fra.officer", true)
        .unwrap_err();
    assert!(matches!(
        error,
        EngineError::Rule(RuleViolation::NotAdmin { .. })
    ));
}

/// Runs an admin operation through the relay with retries, as the apps do.
pub(super) fn commit_now(
    officer: &mut Officer,
    channel: &crate::ChannelId,
    mut op: impl FnMut(&mut crate::Engine, &crate::ChannelId) -> Result<i64, EngineError>,
) -> u64 {
    let ch = channel.clone();
    run(commit_with_retry(
        &mut officer.engine,
        &officer.relay,
        channel,
        3,
        |engine| op(engine, &ch),
    ))
    .unwrap()
}

#[test]
fn removed_member_stops_receiving_and_keeps_history_read_only() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.admin.engine.send(&ch, Draft::text("before")).unwrap();
    cell.admin.flush();
    cell.de.sync();
    commit_now(&mut cell.admin, &ch, |e, ch| {
        e.remove_members(ch, &["deu.officer"])
    });
    cell.de.sync();
    cell.fr.sync();
    assert!(!cell.de.engine.channels().unwrap()[0].active);
    assert_eq!(cell.fr.engine.members(&ch).unwrap().len(), 2);
    cell.admin.engine.send(&ch, Draft::text("after")).unwrap();
    cell.admin.flush();
    cell.de.sync();
    cell.fr.sync();
    assert_eq!(cell.de.bodies(&ch), ["before"]);
    assert_eq!(cell.fr.bodies(&ch), ["before", "after"]);
    assert!(matches!(
        cell.de.engine.send(&ch, Draft::text("still here?")),
        Err(EngineError::ReadOnly)
    ));
}

#[test]
fn removed_member_added_again_rejoins_the_same_channel() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.admin.engine.send(&ch, Draft::text("before")).unwrap();
    cell.admin.flush();
    cell.de.sync();
    commit_now(&mut cell.admin, &ch, |e, ch| {
        e.remove_members(ch, &["deu.officer"])
    });
    cell.de.sync();
    assert!(!cell.de.engine.channels().unwrap()[0].active);
    cell.admin
        .engine
        .send(&ch, Draft::text("while away"))
        .unwrap();
    cell.admin.flush();

    // openmls refuses a Welcome for a group it still holds: the departed
    // channel's old MLS state must give way to the new one.
    add(&mut cell.admin, &ch, &["deu.officer"]);
    cell.de.sync();

    let channels = cell.de.engine.channels().unwrap();
    assert_eq!(channels.len(), 1);
    assert!(channels[0].active, "back in the channel");
    cell.admin.engine.send(&ch, Draft::text("back")).unwrap();
    cell.admin.flush();
    cell.de.sync();
    assert_eq!(cell.de.bodies(&ch), ["before", "back"]);
    cell.de.engine.send(&ch, Draft::text("glad to be")).unwrap();
    cell.de.flush();
    cell.fr.sync();
    assert_eq!(
        cell.fr.bodies(&ch),
        ["before", "while away", "back", "glad to be"]
    );
}

#[test]
fn member_leaves_and_an_admin_commits_the_departure() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.fr.engine.leave(&ch).unwrap();
    cell.fr.flush();
    // The admin's sync sees the proposal and commits it.
    cell.admin.sync();
    cell.fr.sync();
    cell.de.sync();
    assert!(!cell.fr.engine.channels().unwrap()[0].active);
    let members: Vec<_> = cell
        .de
        .engine
        .members(&ch)
        .unwrap()
        .into_iter()
        .map(|m| m.officer_id)
        .collect();
    assert_eq!(members, ["gbr.admin", "deu.officer"]);
}

#[test]
fn admin_promotes_and_demotes_and_every_member_agrees() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    commit_now(&mut cell.admin, &ch, |e, ch| {
        e.set_admin(ch, "fra.officer", true)
    });
    cell.fr.sync();
    cell.de.sync();
    assert!(cell.de.engine.policy(&ch).unwrap().is_admin("fra.officer"));
    // The new admin can now add and remove.
    commit_now(&mut cell.fr, &ch, |e, ch| {
        e.remove_members(ch, &["deu.officer"])
    });
    commit_now(&mut cell.fr, &ch, |e, ch| {
        e.set_admin(ch, "fra.officer", false)
    });
    cell.admin.sync();
    assert!(
        !cell
            .admin
            .engine
            .policy(&ch)
            .unwrap()
            .is_admin("fra.officer")
    );
    assert_eq!(cell.admin.engine.members(&ch).unwrap().len(), 2);
}

#[test]
fn tightening_removes_non_compliant_members_in_the_same_commit() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let tighter = cell
        .admin
        .engine
        .policy(&ch)
        .unwrap()
        .with_labels(
            label("NATO SECRET//REL TO FRA, GBR"),
            label("NATO RESTRICTED//REL TO FRA, GBR"),
        )
        .unwrap();
    let preview = cell
        .admin
        .engine
        .preview_policy_change(&ch, &tighter)
        .unwrap();
    assert_eq!(preview.len(), 1);
    assert_eq!(preview[0].officer_id, "deu.officer");
    let epoch = commit_now(&mut cell.admin, &ch, |e, ch| {
        e.change_policy(ch, tighter.clone())
    });
    cell.fr.sync();
    cell.de.sync();
    assert_eq!(cell.fr.engine.epoch(&ch).unwrap(), epoch);
    assert_eq!(cell.fr.engine.policy(&ch).unwrap(), tighter);
    assert_eq!(cell.fr.engine.members(&ch).unwrap().len(), 2);
    assert!(!cell.de.engine.channels().unwrap()[0].active);
}

#[test]
fn concurrent_admin_commits_one_wins_the_other_retries_no_fork() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    commit_now(&mut cell.admin, &ch, |e, ch| {
        e.set_admin(ch, "fra.officer", true)
    });
    cell.fr.sync();
    cell.de.sync();
    for round in 0..5 {
        // Both admins build a commit against the same epoch.
        let a = cell
            .admin
            .engine
            .set_admin(&ch, "deu.officer", round % 2 == 0)
            .unwrap();
        let f = cell.fr.engine.commit_pending_proposals(&ch).unwrap();
        assert!(f.is_none());
        let racing = cell
            .fr
            .engine
            .policy(&ch)
            .unwrap()
            .with_retention(Some(30 + round), crate::HistoryOnRemoval::Keep);
        let f = cell.fr.engine.change_policy(&ch, racing).unwrap();
        let _ = (a, f);
        cell.admin.flush();
        // FRA's commit is stale now: the relay says "wrong epoch"; the
        // engine rolls it back.
        cell.fr.flush();
        assert!(cell.fr.engine.outbox().unwrap().is_empty());
        // FRA catches up and retries.
        let retention = Some(30 + round);
        commit_now(&mut cell.fr, &ch, |e, ch| {
            let policy = e
                .policy(ch)?
                .with_retention(retention, crate::HistoryOnRemoval::Keep);
            e.change_policy(ch, policy)
        });
        for officer in [&mut cell.admin, &mut cell.fr, &mut cell.de] {
            officer.sync();
        }
        let epochs: Vec<u64> = [&mut cell.admin, &mut cell.fr, &mut cell.de]
            .into_iter()
            .map(|o| o.engine.epoch(&ch).unwrap())
            .collect();
        assert!(epochs.iter().all(|e| *e == epochs[0]), "fork: {epochs:?}");
        assert_eq!(epochs[0], cell.relay.epoch(&ch.0));
        let policy = cell.de.engine.policy(&ch).unwrap();
        assert_eq!(policy.retention_days(), retention);
        assert_eq!(policy.is_admin("deu.officer"), round % 2 == 0);
    }
}

#[test]
fn commit_retry_gives_up_after_the_bounded_attempts() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    commit_now(&mut cell.admin, &ch, |e, ch| {
        e.set_admin(ch, "fra.officer", true)
    });
    cell.fr.sync();
    // Every time the GBR admin has built its commit, the FRA admin's commit
    // reaches the relay first.
    let fr = &mut cell.fr;
    let mut round = 0;
    let result = run(commit_with_retry(
        &mut cell.admin.engine,
        &cell.admin.relay,
        &ch,
        3,
        |engine| {
            let id = engine.set_admin(&ch, "deu.officer", true)?;
            round += 1;
            ready(crate::pull(&mut fr.engine, &fr.relay, &ch)).unwrap();
            let policy = fr
                .engine
                .policy(&ch)?
                .with_retention(Some(round), crate::HistoryOnRemoval::Keep);
            fr.engine.change_policy(&ch, policy)?;
            assert_eq!(
                ready(crate::flush_outbox(&mut fr.engine, &fr.relay)).unwrap(),
                0
            );
            Ok(id)
        },
    ));
    assert!(matches!(result, Err(SyncError::GaveUp { attempts: 3 })));
    assert_eq!(round, 3);
    // Nothing half-done is left behind, and everyone still agrees.
    assert!(cell.admin.engine.outbox().unwrap().is_empty());
    cell.admin.sync();
    cell.de.sync();
    assert_eq!(
        cell.admin.engine.epoch(&ch).unwrap(),
        cell.relay.epoch(&ch.0)
    );
    assert_eq!(cell.de.engine.epoch(&ch).unwrap(), cell.relay.epoch(&ch.0));
    assert!(!cell.de.engine.policy(&ch).unwrap().is_admin("deu.officer"));
}

/// The loopback relay's futures are ready at once; poll one to completion
/// without a runtime (the test is already inside one).
fn ready<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("loopback futures are always ready"),
    }
}

#[test]
fn sync_tops_up_key_packages_so_an_officer_can_always_be_added() {
    let mut cell = cell();
    let officer_id = cell.fr.id.clone();
    // Others add FRA to channels until only the last-resort package is left.
    let conn = cell.admin.relay.clone();
    while run(crate::DeliveryService::key_package_count(&cell.fr.relay))
        .unwrap()
        .0
        > 0
    {
        run(crate::DeliveryService::claim_key_package(
            &conn,
            &officer_id,
        ))
        .unwrap();
    }
    // The last-resort package is handed out but kept.
    run(crate::DeliveryService::claim_key_package(
        &conn,
        &officer_id,
    ))
    .unwrap();
    let (one_time, last_resort) =
        run(crate::DeliveryService::key_package_count(&cell.fr.relay)).unwrap();
    assert_eq!(one_time, 0);
    assert!(
        last_resort,
        "the last-resort package is never handed out for good"
    );
    cell.fr.sync();
    let (one_time, last_resort) =
        run(crate::DeliveryService::key_package_count(&cell.fr.relay)).unwrap();
    assert_eq!(one_time, crate::KEY_PACKAGE_TARGET);
    assert!(last_resort);
    // A second sync publishes nothing more.
    cell.fr.sync();
    let (again, _) = run(crate::DeliveryService::key_package_count(&cell.fr.relay)).unwrap();
    assert_eq!(again, crate::KEY_PACKAGE_TARGET);
}
