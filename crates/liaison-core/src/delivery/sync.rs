//! The sync driver: moves the outbox to the delivery service, pulls each
//! channel from its cursor, joins from Welcomes, and retries commits that
//! lost an epoch race.

use std::time::Duration;

use liaison_proto::{Submission, SubmitOutcome};
use thiserror::Error;

use super::{DeliveryError, DeliveryService};
use crate::channel::EngineError;
use crate::engine::{
    ChannelAnchor, ChannelId, Engine, Outgoing, OutgoingKind, Received, RejoinVerdict,
    WelcomeOutcome,
};
use liaison_rules::RuleViolation;

/// How many deliveries are fetched and processed per transaction.
pub(crate) const PULL_BATCH: usize = 256;
/// Below this many one-time key packages at the relay, [`sync`] publishes more.
pub const KEY_PACKAGE_LOW_WATER: u32 = 5;
/// How many one-time key packages a top-up brings the directory back to.
pub const KEY_PACKAGE_TARGET: u32 = 20;

/// Why a sync step failed.
///
/// Not `non_exhaustive`, for the same reason as [`EngineError`]: the
/// desktop runtime maps every variant.
#[derive(Debug, Error)]
pub enum SyncError {
    /// The engine refused or failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The delivery service failed.
    #[error(transparent)]
    Delivery(#[from] DeliveryError),
    /// A commit lost the epoch race this many times in a row.
    #[error("the commit lost the race for the next epoch {attempts} times; try again later")]
    GaveUp {
        /// Attempts made.
        attempts: u32,
    },
}

/// What pulling a channel did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PullReport {
    /// Deliveries processed (messages, acks, commits, proposals).
    pub applied: usize,
    /// Deliveries refused by the rules or undecryptable; each is in the audit log.
    pub refused: usize,
    /// Redeliveries and echoes of our own messages.
    pub ignored: usize,
    /// Whether a commit removed us.
    pub removed_self: bool,
    /// Why joining the channels waiting for us failed in this round, if it
    /// did ([`sync`] goes on with the rest and tries again next round).
    pub join_error: Option<String>,
    /// Channels where the relay withholds a commit from this member, with
    /// our epoch and the later epoch its messages are at: nothing new can
    /// be read there until the commit comes ([`Engine::withheld`]).
    pub withheld: Vec<(ChannelId, u64, u64)>,
    /// Invitations held in this round: Welcomes to channels naming partner
    /// authorities not pinned here, kept for the officer to accept or
    /// decline ([`Engine::invitations`]).
    pub invitations_held: Vec<i64>,
    /// Partner authorities that policy changes applied in this round added
    /// to a channel's anchors.
    pub anchors_added: Vec<(ChannelId, ChannelAnchor)>,
    /// What repairing forks did in this round ([`repair_forks`]).
    pub repair: RepairReport,
    /// Why repairing forks failed in this round, if it did (the rest of the
    /// sync is done; the next round tries again).
    pub repair_error: Option<String>,
}

/// What [`repair_forks`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RepairReport {
    /// Channels whose admins this member asked to add it back (it found
    /// the channel forked).
    pub requested: Vec<ChannelId>,
    /// Members this admin added back, as `(channel, officer id)`.
    pub readded: Vec<(ChannelId, String)>,
    /// Requests this admin declined (the member holds the admins' branch)
    /// or refused (not a valid request); each is in the audit log.
    pub declined: usize,
}

/// What [`join_pending`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct JoinReport {
    /// The channels joined.
    pub joined: Vec<ChannelId>,
    /// The invitations held (ids of [`Engine::invitations`]): channels that
    /// name partner authorities not pinned here are not joined until the
    /// officer accepts.
    pub held: Vec<i64>,
}

/// Submits every outbox entry in order. Returns the number of entries the
/// relay answered "wrong epoch" (those are rolled back).
pub async fn flush_outbox<D: DeliveryService>(
    engine: &mut Engine,
    relay: &D,
) -> Result<usize, SyncError> {
    // Acceptances are recorded together, in one transaction, once the
    // relay has answered: a crash before that only means the entries are
    // submitted again, and receivers drop the copies by hash.
    let mut accepted = Vec::new();
    let result = submit_outbox(engine, relay, &mut accepted).await;
    engine.outbox_accepted_batch(&accepted)?;
    result
}

async fn submit_outbox<D: DeliveryService>(
    engine: &mut Engine,
    relay: &D,
    accepted: &mut Vec<(i64, u64)>,
) -> Result<usize, SyncError> {
    let mut stale = 0;
    // The first permanent refusal of a commit or a channel creation: it is
    // rolled back and dropped, so it cannot block what follows, and
    // reported once the rest is sent.
    let mut refused: Option<DeliveryError> = None;
    let mut rounds = 0;
    'outbox: loop {
        rounds += 1;
        for outgoing in engine.outbox()? {
            let state_change = matches!(outgoing.kind, OutgoingKind::Create | OutgoingKind::Commit);
            let outcome = if outgoing.kind == OutgoingKind::Create {
                match relay
                    .create_group(&outgoing.channel.0, outgoing.message.clone())
                    .await
                {
                    // Already registered: the relay took it before a crash or a
                    // lost answer.
                    Ok(()) | Err(DeliveryError::GroupExists) => {
                        Ok(SubmitOutcome::Accepted { seq: 0 })
                    }
                    Err(error) => Err(error),
                }
            } else {
                let submission = Submission {
                    group_id: outgoing.channel.0.clone(),
                    message: outgoing.message.clone(),
                    welcome: outgoing.welcome.clone(),
                };
                submit_patiently(relay, submission).await
            };
            match outcome {
                Ok(SubmitOutcome::Accepted { seq }) => accepted.push((outgoing.outbox_id, seq)),
                Ok(SubmitOutcome::WrongEpoch { .. })
                    if outgoing.kind == OutgoingKind::Application
                        && rounds < MAX_REENCRYPT_ROUNDS =>
                {
                    // Written in an epoch the members no longer keep: catch up
                    // once, encrypt every message still queued for the channel
                    // again (they waited as long), and go round again.
                    engine.outbox_accepted_batch(&std::mem::take(accepted))?;
                    pull(engine, relay, &outgoing.channel).await?;
                    for queued in engine.outbox()? {
                        if queued.channel == outgoing.channel
                            && queued.kind == OutgoingKind::Application
                        {
                            engine.reencrypt_queued(queued.outbox_id)?;
                        }
                    }
                    continue 'outbox;
                }
                Ok(SubmitOutcome::WrongEpoch { .. })
                    if outgoing.kind == OutgoingKind::Application =>
                {
                    // Never dropped: it stays queued for the next round.
                    engine.outbox_accepted_batch(&std::mem::take(accepted))?;
                    return Err(SyncError::GaveUp {
                        attempts: u32::try_from(rounds).unwrap_or(u32::MAX),
                    });
                }
                Ok(SubmitOutcome::WrongEpoch { .. }) => {
                    // Later entries may have been built on this epoch: record
                    // what was accepted before rolling back.
                    engine.outbox_accepted_batch(&std::mem::take(accepted))?;
                    if settle_wrong_epoch(engine, relay, &outgoing).await? {
                        stale += 1;
                    }
                }
                Err(error) if state_change && is_permanent(&error) => {
                    engine.outbox_accepted_batch(&std::mem::take(accepted))?;
                    engine.outbox_refused(outgoing.outbox_id, &error.to_string())?;
                    refused.get_or_insert(error);
                }
                Err(error) => return Err(error.into()),
            }
        }
        break;
    }
    match refused {
        Some(error) => Err(error.into()),
        None => Ok(stale),
    }
}

/// The relay answered "wrong epoch" to an outbox entry. For a commit, that
/// may be because this very commit was ordered earlier and the answer was
/// lost (the connection dropped after the relay stored it): rolling it back
/// then would leave us unable to read our own commit when it comes back
/// (openmls cannot stage a commit whose path it encrypted itself), and we
/// would be split from the channel. So the channel is read first, with the
/// commit still pending: if it comes back, the echo merges it. Only a
/// commit that did not come back is rolled back. Returns whether the entry
/// was rolled back.
async fn settle_wrong_epoch<D: DeliveryService>(
    engine: &mut Engine,
    relay: &D,
    outgoing: &Outgoing,
) -> Result<bool, SyncError> {
    if outgoing.kind == OutgoingKind::Commit {
        pull(engine, relay, &outgoing.channel).await?;
        let still_pending = engine
            .outbox()?
            .iter()
            .any(|o| o.outbox_id == outgoing.outbox_id);
        if !still_pending {
            return Ok(false);
        }
    }
    engine.outbox_stale(outgoing.outbox_id)?;
    Ok(true)
}

/// Most times one flush goes round again after encrypting a stale queued
/// message anew.
const MAX_REENCRYPT_ROUNDS: usize = 64;

/// A refusal that the same request will meet again: the rules forbid it,
/// it is malformed or too large, or the relay does not know the group.
fn is_permanent(error: &DeliveryError) -> bool {
    matches!(
        error,
        DeliveryError::Forbidden(_)
            | DeliveryError::Malformed(_)
            | DeliveryError::TooLarge(_)
            | DeliveryError::UnknownGroup
    )
}

/// First wait after the relay answers "rate limited"; doubled each time.
const RATE_LIMIT_FIRST_WAIT: Duration = Duration::from_millis(50);
/// Most waits for one submission before the error is reported.
const RATE_LIMIT_ATTEMPTS: u32 = 10;

/// Submits, waiting and retrying while the relay says "rate limited"
/// (about 25 s at most), so a long outbox drains instead of stopping at
/// the relay's limit.
async fn submit_patiently<D: DeliveryService>(
    relay: &D,
    submission: Submission,
) -> Result<SubmitOutcome, DeliveryError> {
    let mut wait = RATE_LIMIT_FIRST_WAIT;
    for _ in 1..RATE_LIMIT_ATTEMPTS {
        match relay.submit(submission.clone()).await {
            Err(DeliveryError::RateLimited) => {
                tokio::time::sleep(wait).await;
                wait = wait.saturating_mul(2);
            }
            other => return other,
        }
    }
    relay.submit(submission).await
}

/// Pulls a channel from its cursor until the relay has nothing newer.
pub async fn pull<D: DeliveryService>(
    engine: &mut Engine,
    relay: &D,
    channel: &ChannelId,
) -> Result<PullReport, SyncError> {
    let mut report = PullReport::default();
    loop {
        let cursor = engine.cursor(channel)?;
        let batch = relay.fetch(&channel.0, cursor, PULL_BATCH).await?;
        if batch.is_empty() {
            return Ok(report);
        }
        for result in engine.receive_batch(&batch) {
            match result {
                Ok(Received::Duplicate | Received::OwnEcho) => report.ignored += 1,
                Ok(Received::Commit {
                    removed_self,
                    anchors_added,
                    ..
                }) => {
                    report.applied += 1;
                    report.removed_self |= removed_self;
                    report.anchors_added.extend(
                        anchors_added
                            .into_iter()
                            .map(|anchor| (channel.clone(), anchor)),
                    );
                }
                Ok(_) => report.applied += 1,
                Err(EngineError::Store(e)) => return Err(EngineError::Store(e).into()),
                Err(EngineError::Database(e)) => return Err(EngineError::Database(e).into()),
                // Kept waiting for the commit, not refused.
                Err(EngineError::Rule(RuleViolation::CommitWithheld { .. })) => {}
                Err(_) => report.refused += 1,
            }
        }
        if engine.cursor(channel)? == cursor {
            // The batch made no progress (a storage failure was reported
            // above, or the relay withholds a commit); stop rather than spin.
            if let Some((ours, theirs)) = engine.withheld(channel) {
                report.withheld.push((channel.clone(), ours, theirs));
            }
            return Ok(report);
        }
    }
}

/// Joins every channel a Welcome waits for, or holds its Welcome as an
/// invitation when the channel names partner authorities not pinned here.
pub async fn join_pending<D: DeliveryService>(
    engine: &mut Engine,
    relay: &D,
) -> Result<JoinReport, SyncError> {
    let mut report = JoinReport::default();
    // The relay answers a page of Welcomes at a time (bounded in bytes);
    // each page dealt with is dropped, so the next answer is the next page.
    for _ in 0..MAX_WELCOME_PAGES {
        let welcomes = relay.welcomes().await?;
        if welcomes.is_empty() {
            break;
        }
        let outcome = join_welcomes(engine, &welcomes);
        let progress = !outcome.dealt_with.is_empty();
        relay.drop_welcomes(outcome.dealt_with).await?;
        report.joined.extend(outcome.joined);
        report.held.extend(outcome.held);
        outcome.stopped.map_err(SyncError::from)?;
        if !progress {
            break;
        }
    }
    Ok(report)
}

/// Most pages of Welcomes one [`join_pending`] reads; the rest wait for the
/// next round.
const MAX_WELCOME_PAGES: usize = 64;

/// What [`join_welcomes`] did.
#[derive(Debug)]
pub struct JoinOutcome {
    /// The channels joined.
    pub joined: Vec<ChannelId>,
    /// The invitations held (Welcomes to channels naming authorities not
    /// pinned here).
    pub held: Vec<i64>,
    /// The Welcomes dealt with, by [`welcome_hash`](super::welcome_hash):
    /// joined and stored, or refused for good. The relay may drop them.
    pub dealt_with: Vec<[u8; 32]>,
    /// A store failure, which stopped the joins at the Welcome it hit; that
    /// one and the rest stay waiting for the next round.
    pub stopped: Result<(), EngineError>,
}

/// Joins the channels of `welcomes`, each in its own transaction. A Welcome
/// to a channel naming partner authorities not pinned here is held as an
/// invitation, and counts as dealt with: the relay may drop it, the
/// profile keeps it. A Welcome that cannot be accepted (a channel that
/// breaks our rules, a malformed message, a channel already joined) is
/// audited and counts as dealt with too: it will not become acceptable by
/// waiting, and it must not stop the others.
pub fn join_welcomes(engine: &mut Engine, welcomes: &[Vec<u8>]) -> JoinOutcome {
    let mut outcome = JoinOutcome {
        joined: Vec::new(),
        held: Vec::new(),
        dealt_with: Vec::new(),
        stopped: Ok(()),
    };
    for welcome in welcomes {
        let result = match engine.join_or_hold(welcome) {
            Ok(WelcomeOutcome::Joined(channel)) => {
                outcome.joined.push(channel);
                Ok(())
            }
            Ok(WelcomeOutcome::Held(invitation)) => {
                outcome.held.push(invitation);
                Ok(())
            }
            // A storage failure says nothing about the Welcome (holding it
            // may be what failed): it waits at the relay for the next round.
            Err(error @ (EngineError::Store(_) | EngineError::Database(_))) => Err(error),
            Err(error) => engine
                .store()
                .record(
                    None,
                    &crate::AuditEvent::WelcomeRefused {
                        reason: crate::Refusal::of_engine(&error),
                    },
                )
                .map(drop)
                .map_err(EngineError::from),
        };
        if let Err(error) = result {
            outcome.stopped = Err(error);
            break;
        }
        outcome.dealt_with.push(super::welcome_hash(welcome));
    }
    outcome
}

/// Publishes key packages when the relay's directory runs low, so others
/// can keep adding this officer; keeps a last-resort package there. Returns
/// how many were published.
pub async fn top_up_key_packages<D: DeliveryService>(
    engine: &mut Engine,
    relay: &D,
) -> Result<usize, SyncError> {
    let (one_time, last_resort) = relay.key_package_count().await?;
    if one_time >= KEY_PACKAGE_LOW_WATER && last_resort {
        return Ok(0);
    }
    let missing = usize::try_from(KEY_PACKAGE_TARGET.saturating_sub(one_time)).unwrap_or(0);
    let packages = engine.generate_key_packages(missing, !last_resort)?;
    let published = packages.len();
    relay.publish_key_packages(packages).await?;
    Ok(published)
}

/// One full round: join, top up key packages, flush the outbox, pull every
/// active channel and, as an admin, commit pending departures.
pub async fn sync<D: DeliveryService>(
    engine: &mut Engine,
    relay: &D,
) -> Result<PullReport, SyncError> {
    let mut total = PullReport::default();
    // A Welcome that cannot be fetched or joined must not keep this officer
    // from its other channels: the joins wait for the next round.
    match join_pending(engine, relay).await {
        Ok(joins) => total.invitations_held = joins.held,
        Err(error) => {
            if matches!(error, SyncError::Delivery(DeliveryError::Unavailable(_))) {
                return Err(error);
            }
            tracing::warn!(%error, "joining waiting channels failed; the rest of the sync goes on");
            total.join_error = Some(error.to_string());
        }
    }
    top_up_key_packages(engine, relay).await?;
    flush_outbox(engine, relay).await?;
    for summary in engine.channels()? {
        if !summary.active {
            continue;
        }
        let report = pull(engine, relay, &summary.id).await?;
        total.applied += report.applied;
        total.refused += report.refused;
        total.withheld.extend(report.withheld);
        total.ignored += report.ignored;
        total.removed_self |= report.removed_self;
        total.anchors_added.extend(report.anchors_added);
        if !report.removed_self
            && engine.policy(&summary.id)?.is_admin(engine.officer_id())
            && engine.commit_pending_proposals(&summary.id)?.is_some()
        {
            flush_outbox(engine, relay).await?;
        }
    }
    match repair_forks(engine, relay).await {
        Ok(repair) => total.repair = repair,
        Err(error) => {
            tracing::warn!(%error, "repairing forks failed; the next round tries again");
            total.repair_error = Some(error.to_string());
        }
    }
    Ok(total)
}

/// Repairs forks (`liaison_core::engine::rejoin`): asks the admins of each
/// channel this member found forked to add it back, and, as an admin,
/// answers the requests waiting at the relay: a member holding another
/// branch is re-added with a fresh key package in one commit, one holding
/// ours is declined.
pub async fn repair_forks<D: DeliveryService>(
    engine: &mut Engine,
    relay: &D,
) -> Result<RepairReport, SyncError> {
    let mut report = RepairReport::default();
    let plan = engine.rejoin_plan()?;
    for (channel, request) in plan.asks {
        relay.request_rejoin(&channel.0, request).await?;
        engine.rejoin_requested(&channel)?;
        report.requested.push(channel);
    }
    for channel in plan.admin_of {
        let waiting = match relay.rejoin_requests(&channel.0).await {
            Ok(waiting) => waiting,
            // The relay does not count us an admin (yet): its view of the
            // channel is the judge of who reads the requests.
            Err(DeliveryError::Forbidden(_) | DeliveryError::NotMember) => continue,
            Err(error) => return Err(error.into()),
        };
        for (officer, request) in waiting {
            let authority = match engine.answer_rejoin_request(&channel, &officer, &request)? {
                RejoinVerdict::Readd { authority } => authority,
                RejoinVerdict::SameBranch | RejoinVerdict::Refused(_) => {
                    report.declined += 1;
                    continue;
                }
                RejoinVerdict::Answered => continue,
            };
            let package = relay.claim_key_package_from(&officer, &authority).await?;
            commit_with_retry(engine, relay, &channel, 3, |engine| {
                engine.readd_member(&channel, &officer, &package)
            })
            .await?;
            engine.answer_rejoin(&channel, &request, "re-added")?;
            report.readded.push((channel.clone(), officer));
        }
    }
    Ok(report)
}

/// Runs an admin operation as a commit and gets it ordered: catch up, build
/// the commit against the latest state (so the rules are checked again),
/// submit; on "wrong epoch" roll back and start over, at most `max_attempts`
/// times.
pub async fn commit_with_retry<D, F>(
    engine: &mut Engine,
    relay: &D,
    channel: &ChannelId,
    max_attempts: u32,
    mut operation: F,
) -> Result<u64, SyncError>
where
    D: DeliveryService,
    F: FnMut(&mut Engine) -> Result<i64, EngineError>,
{
    for _ in 0..max_attempts {
        flush_outbox(engine, relay).await?;
        pull(engine, relay, channel).await?;
        let outbox_id = operation(engine)?;
        let outgoing = engine
            .outbox()?
            .into_iter()
            .find(|o| o.outbox_id == outbox_id && o.kind == OutgoingKind::Commit)
            .ok_or(EngineError::CorruptStore(
                "commit vanished from the outbox".into(),
            ))?;
        let outcome = relay
            .submit(Submission {
                group_id: channel.0.clone(),
                message: outgoing.message,
                welcome: outgoing.welcome,
            })
            .await?;
        match outcome {
            SubmitOutcome::Accepted { seq } => {
                engine.outbox_accepted(outbox_id, seq)?;
                return Ok(engine.epoch(channel)?);
            }
            SubmitOutcome::WrongEpoch { .. } => {
                let outgoing = Outgoing {
                    outbox_id,
                    channel: channel.clone(),
                    kind: OutgoingKind::Commit,
                    message: Vec::new(),
                    welcome: None,
                };
                if !settle_wrong_epoch(engine, relay, &outgoing).await? {
                    // Ours was ordered after all (its first answer was lost).
                    return Ok(engine.epoch(channel)?);
                }
            }
        }
    }
    Err(SyncError::GaveUp {
        attempts: max_attempts,
    })
}
