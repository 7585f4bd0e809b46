//! `liaison listen`: sync in a loop and show each new message once, until
//! interrupted, a count of messages, or a duration.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use liaison_core::{ChannelId, DeliveryService, PullReport};
use tokio::time::Instant;

use super::messaging::message_views;
use super::sync::{replenish_key_packages, snapshot, unreachable_reason};
use crate::args::ListenArgs;
use crate::error::CliError;
use crate::output::{ChannelRefView, ListenEvent};
use crate::resolve;
use crate::session::Session;

/// Shortest pause between two syncs, so a zero interval cannot spin.
const MIN_INTERVAL: Duration = Duration::from_millis(50);

/// Why listening stopped.
enum Stop {
    Interrupted,
    Count,
    Duration,
}

/// Listens until `stop` completes (Ctrl-C in the binary), `--count`
/// messages were shown, or `--duration` passed. Every event goes to
/// `emit`; returns the number of messages shown.
pub async fn listen<D, S, F>(
    session: &mut Session,
    relay: &D,
    args: &ListenArgs,
    stop: S,
    mut emit: F,
) -> Result<usize, CliError>
where
    D: DeliveryService,
    S: Future<Output = ()>,
    F: FnMut(&ListenEvent) -> Result<(), CliError>,
{
    let only = args
        .channel
        .as_deref()
        .map(|c| resolve::channel(&session.engine, c))
        .transpose()?;
    emit(&ListenEvent::Listening {
        officer_id: session.engine.officer_id().to_owned(),
    })?;
    let mut known: HashMap<ChannelId, (bool, usize)> = snapshot(&session.engine)?;
    let interval = Duration::from_millis(args.interval_ms).max(MIN_INTERVAL);
    // A duration past what the clock can represent means no deadline.
    let deadline = args
        .duration
        .and_then(|s| Instant::now().checked_add(Duration::from_secs(s)));
    let mut shown = 0usize;
    let mut replenish = true;
    tokio::pin!(stop);
    let reason = loop {
        match round(session, relay, replenish).await {
            Ok(report) => {
                replenish = false;
                if report.refused > 0 {
                    emit(&ListenEvent::Refused {
                        count: report.refused,
                    })?;
                }
                for invitation in session.engine.invitations()? {
                    if report.invitations_held.contains(&invitation.id) {
                        emit(&ListenEvent::Invitation {
                            id: invitation.id,
                            channel: ChannelRefView::new(
                                &invitation.channel,
                                &invitation.channel_name,
                            ),
                        })?;
                    }
                }
                for (channel, anchor) in &report.anchors_added {
                    let name = session
                        .engine
                        .channels()?
                        .into_iter()
                        .find(|c| c.id == *channel)
                        .map(|c| c.name)
                        .unwrap_or_default();
                    emit(&ListenEvent::AnchorAdded {
                        channel: ChannelRefView::new(channel, &name),
                        authority: anchor.into(),
                    })?;
                }
            }
            Err(error) => match unreachable_reason(&error) {
                Some(detail) => emit(&ListenEvent::RelayUnavailable { detail })?,
                None => return Err(error),
            },
        }
        for summary in session.engine.channels()? {
            if only.as_ref().is_some_and(|c| *c != summary.id) {
                continue;
            }
            let channel = ChannelRefView::new(&summary.id, &summary.name);
            let (was_active, seen) = match known.get(&summary.id) {
                Some(state) => *state,
                None => {
                    replenish = true;
                    emit(&ListenEvent::Joined {
                        channel: channel.clone(),
                    })?;
                    (true, 0)
                }
            };
            let messages = session.engine.messages(&summary.id)?;
            let fresh = messages.get(seen..).unwrap_or_default();
            for message in message_views(&session.engine, &summary.id, fresh)? {
                if args.count.is_some_and(|n| shown >= n) {
                    break;
                }
                shown += 1;
                emit(&ListenEvent::Message {
                    channel: channel.clone(),
                    message: Box::new(message),
                })?;
            }
            if was_active && !summary.active {
                emit(&ListenEvent::Removed { channel })?;
            }
            known.insert(summary.id, (summary.active, messages.len()));
        }
        if args.count.is_some_and(|n| shown >= n) {
            break Stop::Count;
        }
        let pause = tokio::time::sleep(interval);
        let until = async {
            match deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = &mut stop => break Stop::Interrupted,
            () = until => break Stop::Duration,
            () = pause => {}
        }
    };
    emit(&ListenEvent::Stopped {
        messages: shown,
        reason: match reason {
            Stop::Interrupted => "interrupted",
            Stop::Count => "count",
            Stop::Duration => "duration",
        }
        .to_owned(),
    })?;
    Ok(shown)
}

/// One sync round.
async fn round<D: DeliveryService>(
    session: &mut Session,
    relay: &D,
    replenish: bool,
) -> Result<PullReport, CliError> {
    if replenish {
        replenish_key_packages(&mut session.engine, relay).await?;
    }
    Ok(liaison_core::sync(&mut session.engine, relay).await?)
}
