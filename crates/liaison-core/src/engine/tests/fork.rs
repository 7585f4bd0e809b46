//! A relay that gives members different commits for the same epoch splits
//! the channel into branches whose members can no longer read each other.
//! Every message carries its sender's epoch authenticator (the binding's
//! epoch check), so the first message across branches is refused as a fork,
//! named as such and audited, instead of passing for an undecryptable one.

use liaison_proto::Delivery;
use openmls::prelude::{GroupId, MlsGroup};
use openmls_rust_crypto::OpenMlsRustCrypto;
use openmls_traits::OpenMlsProvider as _;

use super::harness::*;
use crate::channel::group_context_extensions;
use crate::engine::send::serialise;
use crate::engine::{ChannelId, Draft, Received};
use crate::{EngineError, HistoryOnRemoval, RuleViolation};

/// Delivers `message` to `officer` as the relay's next position.
fn deliver(
    officer: &mut Officer,
    ch: &ChannelId,
    message: Vec<u8>,
) -> Result<Received, EngineError> {
    let seq = officer.engine.cursor(ch).unwrap() + 1;
    officer.engine.receive(&Delivery {
        group_id: ch.0.clone(),
        seq,
        message,
    })
}

/// The last message `officer` queued.
fn last_queued(officer: &Officer) -> Vec<u8> {
    officer.engine.outbox().unwrap().pop().unwrap().message
}

#[test]
fn a_relay_that_gives_members_different_commits_is_caught_at_the_first_message() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.admin.sync();
    let epoch = cell.admin.engine.epoch(&ch).unwrap();
    let policy = cell.admin.engine.policy(&ch).unwrap();

    // Commit Y, valid and stamped, made from the admin's state on the side.
    let y = {
        let mut group = MlsGroup::load(
            &cell.admin.engine.store().mls_storage(),
            &GroupId::from_slice(&ch.0),
        )
        .unwrap()
        .unwrap();
        let provider = OpenMlsRustCrypto::default();
        let other = policy.with_retention(Some(2), HistoryOnRemoval::Keep);
        group.set_aad(liaison_rules::stamp_at(std::time::SystemTime::now()).encode());
        let bundle = group
            .commit_builder()
            .propose_group_context_extensions(group_context_extensions(other.encode()).unwrap())
            .unwrap()
            .load_psks(provider.storage())
            .unwrap()
            .build(
                provider.rand(),
                provider.crypto(),
                &cell.admin.engine.signer,
                |_| true,
            )
            .unwrap()
            .stage_commit(&provider)
            .unwrap();
        serialise(bundle.commit()).unwrap()
    };
    // Commit X, the admin's own for the same epoch.
    cell.admin
        .engine
        .change_policy(&ch, policy.with_retention(Some(1), HistoryOnRemoval::Keep))
        .unwrap();
    let x = last_queued(&cell.admin);

    // The malicious relay orders X for FRA and Y for DEU: each is valid.
    assert!(matches!(
        deliver(&mut cell.fr, &ch, x),
        Ok(Received::Commit { .. })
    ));
    assert!(matches!(
        deliver(&mut cell.de, &ch, y),
        Ok(Received::Commit { .. })
    ));
    assert_eq!(cell.fr.engine.epoch(&ch).unwrap(), epoch + 1);
    assert_eq!(cell.de.engine.epoch(&ch).unwrap(), epoch + 1);

    // Within that epoch, the first message across the branches says so.
    cell.fr.engine.send(&ch, Draft::text("Bonjour")).unwrap();
    let from_fr = last_queued(&cell.fr);
    let error = deliver(&mut cell.de, &ch, from_fr).unwrap_err();
    assert!(
        matches!(
            error,
            EngineError::Rule(RuleViolation::ForkDetected { epoch: e }) if e == epoch + 1
        ),
        "{error:?}"
    );
    cell.de.engine.send(&ch, Draft::text("Guten Tag")).unwrap();
    let from_de = last_queued(&cell.de);
    assert!(matches!(
        deliver(&mut cell.fr, &ch, from_de),
        Err(EngineError::Rule(RuleViolation::ForkDetected { .. }))
    ));
    for officer in [&cell.fr, &cell.de] {
        let audit = officer
            .engine
            .store()
            .audit_log(crate::AuditScope::Group(&ch.0), None, 20)
            .unwrap();
        assert!(
            audit.iter().any(|e| e.event == "channel.fork_detected"),
            "{} did not record the fork",
            officer.id
        );
    }
}
