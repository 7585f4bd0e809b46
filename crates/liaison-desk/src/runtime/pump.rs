//! The runtime's relay steps, written so that the engine lock is never
//! held across a network wait: read what to send under the lock, send
//! without it, record the answers under it again. Each step runs under
//! the session's gate (see `shared.rs`), which keeps them in order with
//! the admin operations.

use std::time::Duration;

use liaison_proto::{Submission, SubmitOutcome};

use crate::events::DeskEvent;
use crate::shared::Shared;
use liaison_core::{
    ChannelId, DeliveryError, DeliveryService as _, EngineError, KEY_PACKAGE_LOW_WATER,
    KEY_PACKAGE_TARGET, OutgoingKind, RejoinVerdict, RelayClient, SyncError, commit_with_retry,
    join_welcomes,
};

/// First wait after "rate limited", doubled each time.
const RATE_LIMIT_FIRST_WAIT: Duration = Duration::from_millis(50);
/// Waits before a rate-limited submission is left for the next round.
const RATE_LIMIT_ATTEMPTS: u32 = 8;

async fn submit(
    client: &RelayClient,
    submission: Submission,
) -> Result<SubmitOutcome, DeliveryError> {
    let mut wait = RATE_LIMIT_FIRST_WAIT;
    for _ in 1..RATE_LIMIT_ATTEMPTS {
        match client.submit(submission.clone()).await {
            Err(DeliveryError::RateLimited) => {
                tokio::time::sleep(wait).await;
                wait = wait.saturating_mul(2);
            }
            other => return other,
        }
    }
    client.submit(submission).await
}

/// Submits the outbox in order. Returns how many entries the relay took.
pub(super) async fn flush(shared: &Shared, client: &RelayClient) -> Result<usize, SyncError> {
    let entries = shared.engine().await.outbox()?;
    let mut accepted: Vec<(i64, u64)> = Vec::new();
    let mut taken = 0;
    let mut outcome = Ok(());
    for entry in entries {
        if entry.kind == OutgoingKind::Create {
            match client.create_group(&entry.channel.0, entry.message).await {
                Ok(()) | Err(DeliveryError::GroupExists) => accepted.push((entry.outbox_id, 0)),
                Err(error) => {
                    outcome = Err(error.into());
                    break;
                }
            }
            continue;
        }
        let submission = Submission {
            group_id: entry.channel.0.clone(),
            message: entry.message,
            welcome: entry.welcome,
        };
        match submit(client, submission).await {
            Ok(SubmitOutcome::Accepted { seq }) => accepted.push((entry.outbox_id, seq)),
            Ok(SubmitOutcome::WrongEpoch { .. }) => {
                let mut engine = shared.engine().await;
                engine.outbox_accepted_batch(&std::mem::take(&mut accepted))?;
                engine.outbox_stale(entry.outbox_id)?;
            }
            Err(error) => {
                outcome = Err(error.into());
                break;
            }
        }
    }
    taken += accepted.len();
    {
        let mut engine = shared.engine().await;
        engine.outbox_accepted_batch(&accepted)?;
        // Our messages are no longer pending and stand in the relay's order.
        super::incoming::emit_reordered(shared, &mut engine);
    }
    outcome.map(|()| taken)
}

/// Joins the channels whose Welcomes wait at the relay, announces them, and
/// has the relay drop the Welcomes dealt with.
pub(super) async fn join(shared: &Shared, client: &RelayClient) -> Result<(), SyncError> {
    let welcomes = client.welcomes().await?;
    if welcomes.is_empty() {
        return Ok(());
    }
    let outcome = {
        let mut engine = shared.engine().await;
        let outcome = join_welcomes(&mut engine, &welcomes);
        if !outcome.joined.is_empty() {
            // The joins are stored: announced now (before anyone else can
            // read them), not after the relay has answered the drop, which
            // may fail and is retried at the next round.
            shared.emit(DeskEvent::Channels);
        }
        if !outcome.held.is_empty() {
            // Channels naming authorities not pinned: the user decides.
            shared.emit(DeskEvent::Invitations);
        }
        outcome
    };
    client.drop_welcomes(outcome.dealt_with).await?;
    outcome.stopped.map_err(SyncError::from)
}

/// Publishes key packages when the relay's directory runs low.
pub(super) async fn top_up(shared: &Shared, client: &RelayClient) -> Result<usize, SyncError> {
    let (one_time, last_resort) = client.key_package_count().await?;
    if one_time >= KEY_PACKAGE_LOW_WATER && last_resort {
        return Ok(0);
    }
    let missing = usize::try_from(KEY_PACKAGE_TARGET.saturating_sub(one_time)).unwrap_or(0);
    let packages = shared
        .engine()
        .await
        .generate_key_packages(missing, !last_resort)?;
    let published = packages.len();
    client.publish_key_packages(packages).await?;
    Ok(published)
}

/// As an admin, commits the departures other members proposed.
pub(super) async fn commit_departures(
    shared: &Shared,
    channels: &[ChannelId],
) -> Result<bool, SyncError> {
    let mut engine = shared.engine().await;
    let mut committed = false;
    for channel in channels {
        if !engine.policy(channel)?.is_admin(&shared.officer_id) {
            continue;
        }
        match engine.commit_pending_proposals(channel) {
            Ok(Some(_)) => committed = true,
            // A commit of ours is already on its way; the departure goes
            // into the next one.
            Ok(None) | Err(EngineError::CommitPending | EngineError::ReadOnly) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(committed)
}

/// Attempts at ordering a re-add commit before it waits for the next round.
const READD_ATTEMPTS: u32 = 3;

/// Repairs forks (`engine/rejoin.rs`): asks the admins of each channel
/// found forked here to add this member back and, as an admin, answers
/// the requests waiting at the relay. The reads and judgements take the
/// engine; the relay calls run without it, except the re-add commit,
/// which holds it as every admin commit does. Returns whether anything
/// the window shows changed.
pub(super) async fn repair(shared: &Shared, client: &RelayClient) -> Result<bool, SyncError> {
    let plan = shared.engine().await.rejoin_plan()?;
    let mut changed = false;
    for (channel, request) in plan.asks {
        client.request_rejoin(&channel.0, request).await?;
        shared.engine().await.rejoin_requested(&channel)?;
        changed = true;
    }
    for channel in plan.admin_of {
        let waiting = match client.rejoin_requests(&channel.0).await {
            Ok(waiting) => waiting,
            Err(DeliveryError::Forbidden(_) | DeliveryError::NotMember) => continue,
            Err(error) => return Err(error.into()),
        };
        for (officer, request) in waiting {
            let verdict = shared
                .engine()
                .await
                .answer_rejoin_request(&channel, &officer, &request)?;
            let RejoinVerdict::Readd { authority } = verdict else {
                continue;
            };
            let package = client.claim_key_package_from(&officer, &authority).await?;
            let mut engine = shared.engine().await;
            commit_with_retry(&mut engine, client, &channel, READD_ATTEMPTS, |engine| {
                engine.readd_member(&channel, &officer, &package)
            })
            .await?;
            engine.answer_rejoin(&channel, &request, "re-added")?;
            changed = true;
        }
    }
    Ok(changed)
}
