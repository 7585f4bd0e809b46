//! The admin's share of the traffic: every few seconds, in one channel
//! after another, it adds that channel's spare officer or removes it
//! again. An add runs the whole directory path: the spare connects and
//! publishes a key package, the admin claims it and submits the commit
//! with its Welcome, the spare is told of the Welcome, fetches it and
//! drops it. Each commit also sends every subscriber of the channel back
//! through the database (a handshake may change who reads what) and every
//! member's MLS group through a commit.

use std::sync::Arc;
use std::time::Duration;

use liaison_proto::Bytes;
use liaison_proto::relay::{Push, Request, Response, ServerFrame};
use openmls::prelude::{
    KeyPackage, KeyPackageIn, MlsMessageBodyIn, MlsMessageIn, OpenMlsProvider as _, ProtocolVersion,
};
use openmls_rust_crypto::OpenMlsRustCrypto;
use sha2::{Digest as _, Sha256};
use tls_codec::Deserialize as _;

use crate::client::{Phase, Shared};
use crate::ledger::{add, content_hash};
use crate::wire::{ANSWER_TIMEOUT, Failure, Ws, call, login, next_frame};
use crate::world::{Admin, Nations, Officer, serialise, stamp, submit_commit};

/// A channel's spare officer, in the channel every other turn.
pub(crate) struct Spare {
    officer: Officer,
    member: bool,
}

/// One spare officer per channel.
pub(crate) fn spares(nations: &Nations, channels: usize) -> Vec<Spare> {
    (0..channels)
        .map(|c| {
            let nation = nations.of(c);
            let id = format!("{}.spare{c:03}", nation.code.to_string().to_lowercase());
            Spare {
                officer: Officer::new(nation, id),
                member: false,
            }
        })
        .collect()
}

/// The admin's connection and its next request id.
struct Session {
    ws: Ws,
    next_id: u64,
}

/// Commits every `every` until the soak phase ends; returns when no commit
/// is in flight any more.
pub(crate) async fn run(
    mut admin: Admin,
    mut spares: Vec<Spare>,
    shared: Arc<Shared>,
    every: Duration,
) {
    let mut phase = shared.phase.clone();
    let mut session: Option<Session> = None;
    let mut tick = tokio::time::interval(every);
    tick.tick().await;
    for turn in 0.. {
        tokio::select! {
            _ = tick.tick() => {}
            Ok(()) = phase.changed() => {}
        }
        if !matches!(*phase.borrow(), Phase::Soak) {
            break;
        }
        let channel = turn % spares.len();
        if let Err(failure) = commit_turn(
            &mut admin,
            &mut spares[channel],
            channel,
            &shared,
            &mut session,
        )
        .await
        {
            shared
                .tally
                .error(&failure.kind(), format!("admin: {failure}"));
            // The connection may be in any state now: start afresh.
            session = None;
        }
    }
    if let Some(mut session) = session {
        let _ = session.ws.close(None).await;
    }
}

async fn commit_turn(
    admin: &mut Admin,
    spare: &mut Spare,
    channel: usize,
    shared: &Shared,
    session: &mut Option<Session>,
) -> Result<(), Failure> {
    let session = match session {
        Some(session) => session,
        None => {
            let ws = login(&shared.endpoint, &admin.officer.chain, &admin.officer.key).await?;
            session.insert(Session { ws, next_id: 1 })
        }
    };
    if spare.member {
        remove(admin, spare, channel, shared, session).await
    } else {
        add_spare(admin, spare, channel, shared, session).await
    }
}

/// The spare publishes a key package, the admin adds it with a Welcome,
/// the spare takes the Welcome and drops it.
async fn add_spare(
    admin: &mut Admin,
    spare: &mut Spare,
    channel: usize,
    shared: &Shared,
    session: &mut Session,
) -> Result<(), Failure> {
    let mut spare_ws = login(&shared.endpoint, &spare.officer.chain, &spare.officer.key).await?;
    // The spare never joins: its key package's private keys may go.
    let published = spare
        .officer
        .published_key_package(&OpenMlsRustCrypto::default());
    let publish = Request::PublishKeyPackages {
        key_packages: vec![Bytes(published)],
    };
    call(&mut spare_ws, 2, publish, "publish_key_packages").await?;
    add(&shared.tally.published, 1);

    let key_package = claim(session, &spare.officer.id, admin).await?;
    add(&shared.tally.claimed, 1);
    let group = &mut admin.groups[channel];
    let signer = admin.officer.key.to_openmls_signer();
    group.set_aad(stamp());
    let (commit, welcome, _) = group
        .add_members(&admin.provider, &signer, &[key_package])
        .map_err(|e| Failure::Unexpected(format!("add commit not made: {e}")))?;
    let (commit, welcome) = (serialise(&commit), serialise(&welcome));
    let group_id = group.group_id().as_slice().to_vec();
    submit(
        admin,
        channel,
        shared,
        session,
        &group_id,
        commit,
        Some(welcome.clone()),
    )
    .await?;
    spare.member = true;

    take_welcome(&mut spare_ws, &welcome).await?;
    add(&shared.tally.welcomes, 1);
    let _ = spare_ws.close(None).await;
    Ok(())
}

/// Claims a key package of `officer_id` and checks it as a member would.
async fn claim(
    session: &mut Session,
    officer_id: &str,
    admin: &Admin,
) -> Result<KeyPackage, Failure> {
    session.next_id += 1;
    let claim = Request::ClaimKeyPackage {
        officer_id: officer_id.to_owned(),
        authority: None,
    };
    let answer = call(&mut session.ws, session.next_id, claim, "claim_key_package").await?;
    let Response::KeyPackage { key_package } = answer else {
        return Err(Failure::Unexpected(format!("claim answered {answer:?}")));
    };
    let message = MlsMessageIn::tls_deserialize_exact(key_package.0.as_slice())
        .map_err(|e| Failure::Unexpected(format!("claimed bytes: {e}")))?;
    let MlsMessageBodyIn::KeyPackage(key_package) = message.extract() else {
        return Err(Failure::Unexpected(
            "claimed a message that is not a key package".to_owned(),
        ));
    };
    let key_package: KeyPackageIn = key_package;
    key_package
        .validate(admin.provider.crypto(), ProtocolVersion::Mls10)
        .map_err(|e| Failure::Unexpected(format!("claimed key package invalid: {e}")))
}

/// Submits the admin's pending commit; merges it once accepted, or drops
/// it when the relay refuses it (so the next turn starts clean).
async fn submit(
    admin: &mut Admin,
    channel: usize,
    shared: &Shared,
    session: &mut Session,
    group_id: &[u8],
    commit: Vec<u8>,
    welcome: Option<Vec<u8>>,
) -> Result<(), Failure> {
    let hash = content_hash(&commit);
    let group = &mut admin.groups[channel];
    let submitted = submit_commit(
        &mut session.ws,
        &mut session.next_id,
        group_id,
        commit,
        welcome,
    )
    .await;
    let seq = match submitted {
        Ok(seq) => seq,
        Err(failure) => {
            let _ = group.clear_pending_commit(admin.provider.storage());
            return Err(failure);
        }
    };
    if !shared.ledger.record(channel, seq, hash) {
        shared
            .tally
            .error("sequence number given twice", format!("commit at {seq}"));
    }
    add(&shared.tally.commits, 1);
    group
        .merge_pending_commit(&admin.provider)
        .map_err(|e| Failure::Unexpected(format!("accepted commit not merged: {e}")))
}

/// The spare waits for the relay's Welcome notice, fetches its waiting
/// Welcomes and drops the one it was sent.
async fn take_welcome(ws: &mut Ws, welcome: &[u8]) -> Result<(), Failure> {
    let notice = tokio::time::timeout(ANSWER_TIMEOUT, next_frame(ws))
        .await
        .map_err(|_| Failure::Timeout("welcome notice"))??;
    match notice {
        Some(ServerFrame::Push {
            push: Push::Welcome { welcome: pushed },
        }) if pushed.0 == welcome => {}
        other => {
            return Err(Failure::Unexpected(format!(
                "expected the Welcome notice, got {other:?}"
            )));
        }
    }
    let waiting = call(ws, 3, Request::Welcomes, "welcomes").await?;
    let Response::Welcomes { welcomes } = waiting else {
        return Err(Failure::Unexpected(format!(
            "welcomes answered {waiting:?}"
        )));
    };
    if !welcomes.iter().any(|w| w.0 == welcome) {
        return Err(Failure::Unexpected("the Welcome is not waiting".to_owned()));
    }
    let hashes = welcomes
        .iter()
        .map(|w| Bytes(Sha256::digest(&w.0).to_vec()))
        .collect();
    match call(ws, 4, Request::DropWelcomes { hashes }, "drop_welcomes").await? {
        Response::WelcomesDropped { dropped } if dropped as usize == welcomes.len() => Ok(()),
        other => Err(Failure::Unexpected(format!(
            "drop_welcomes answered {other:?}"
        ))),
    }
}

/// The admin removes the spare again.
async fn remove(
    admin: &mut Admin,
    spare: &mut Spare,
    channel: usize,
    shared: &Shared,
    session: &mut Session,
) -> Result<(), Failure> {
    let group = &mut admin.groups[channel];
    let key = spare.officer.key.public_key();
    let Some(leaf) = group
        .members()
        .find(|m| m.signature_key == key)
        .map(|m| m.index)
    else {
        return Err(Failure::Unexpected(
            "the spare is not in the admin's tree".to_owned(),
        ));
    };
    let signer = admin.officer.key.to_openmls_signer();
    group.set_aad(stamp());
    let (commit, _, _) = group
        .remove_members(&admin.provider, &signer, &[leaf])
        .map_err(|e| Failure::Unexpected(format!("remove commit not made: {e}")))?;
    let group_id = group.group_id().as_slice().to_vec();
    submit(
        admin,
        channel,
        shared,
        session,
        &group_id,
        serialise(&commit),
        None,
    )
    .await?;
    spare.member = false;
    Ok(())
}
