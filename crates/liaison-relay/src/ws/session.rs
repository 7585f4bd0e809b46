//! One client connection: challenge, authentication, then requests in
//! order, with deliveries and Welcomes pushed in between.

use std::time::{Duration, SystemTime};

use axum::extract::ws::{Message, WebSocket};
use futures_util::{SinkExt as _, StreamExt as _};
use liaison_proto::Bytes;
use liaison_proto::relay::{ErrorCode, PROTOCOL_VERSION, Push, ServerFrame};
use tokio::sync::mpsc;
use tracing::{Instrument as _, field};

use super::connection::{Connection, end_session};
use super::dispatch::{FollowUp, handle_frame};
use super::subscription;
use crate::auth;
use crate::error::Error;
use crate::state::AppState;

/// How often the relay pings an idle client.
const PING_INTERVAL: Duration = Duration::from_secs(30);
/// Outgoing frames buffered per connection before pushes wait.
const OUTGOING: usize = 256;

/// Runs a connection until the client leaves, fails to authenticate in
/// time, or the relay shuts down.
pub(super) async fn run(
    socket: WebSocket,
    state: AppState,
    binding: Option<[u8; liaison_proto::relay::CHANNEL_BINDING_LEN]>,
) {
    let span = tracing::info_span!("connection", officer = field::Empty);
    run_in_span(socket, state, binding).instrument(span).await;
}

async fn run_in_span(
    socket: WebSocket,
    state: AppState,
    binding: Option<[u8; liaison_proto::relay::CHANNEL_BINDING_LEN]>,
) {
    let relay = state.relay.clone();
    let _open = relay.metrics.connection_opened();
    let _tracked = state.tracker.clone();
    let mut shutdown = state.shutdown.clone();
    let (mut sink, mut stream) = socket.split();
    let (out, mut outgoing) = mpsc::channel::<Message>(OUTGOING);
    let writer = tokio::spawn(async move {
        // Frames already queued go out together: one write and one TLS
        // flush for a burst of pushes rather than one each.
        while let Some(mut message) = outgoing.recv().await {
            loop {
                let closing = matches!(message, Message::Close(_));
                if sink.feed(message).await.is_err() || closing {
                    let _ = sink.close().await;
                    return;
                }
                match outgoing.try_recv() {
                    Ok(next) => message = next,
                    Err(_) => break,
                }
            }
            if sink.flush().await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });

    let nonce = match auth::nonce() {
        Ok(nonce) => nonce,
        Err(error) => {
            tracing::error!(%error, "cannot make a challenge");
            return;
        }
    };
    let limits = &relay.config.limits;
    let mut connection = Connection::new(state.clone(), out, nonce, binding);
    let challenge = Push::Challenge {
        nonce: Bytes(nonce.to_vec()),
        relay: relay.config.name.clone(),
        version: PROTOCOL_VERSION,
    };
    if !connection
        .send(&ServerFrame::Push { push: challenge })
        .await
    {
        return;
    }
    tracing::debug!("connection opened");

    let auth_deadline = tokio::time::sleep(limits.auth_timeout);
    tokio::pin!(auth_deadline);
    let mut ping =
        tokio::time::interval_at(tokio::time::Instant::now() + PING_INTERVAL, PING_INTERVAL);
    let mut welcomes = relay.welcome_notices();
    let mut trust_changes = relay.trust_changes();
    loop {
        let authenticated = connection.session.is_some();
        // The session ends when its certificate does, pushes included.
        let until_expiry = connection
            .session
            .as_ref()
            .map_or(PING_INTERVAL, |session| {
                session
                    .not_after
                    .duration_since(SystemTime::now())
                    .unwrap_or(Duration::ZERO)
            });
        let keep_going = tokio::select! {
            _ = shutdown.changed() => {
                let _ = connection.out.send(Message::Close(None)).await;
                false
            }
            () = &mut auth_deadline, if !authenticated => {
                let error = Error::refused(ErrorCode::Unauthenticated, "authentication timed out");
                connection.answer(0, Err(error)).await;
                let _ = connection.out.send(Message::Close(None)).await;
                false
            }
            _ = ping.tick() => connection.out.send(Message::Ping(Default::default())).await.is_ok(),
            () = tokio::time::sleep(until_expiry), if authenticated => {
                end_session(&connection, Error::refused(
                    ErrorCode::Expired,
                    "the officer's certificate has expired; the session is closed",
                ))
                .await
            }
            changed = trust_changes.changed(), if authenticated => match changed {
                Ok(()) => connection.recheck().await,
                // The relay is going away; shutdown closes this connection.
                Err(_) => true,
            },
            notice = welcomes.recv(), if authenticated => connection.welcome(notice).await,
            frame = stream.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    let (keep, follow_up) = handle_frame(&mut connection, text.as_str()).await;
                    if let Some(follow_up) = follow_up {
                        follow(&mut connection, follow_up);
                    }
                    keep
                }
                Some(Ok(Message::Binary(_))) => {
                    let error = Error::malformed("frames are JSON text");
                    connection.answer(0, Err(error)).await
                }
                Some(Ok(Message::Close(_))) | None => false,
                Some(Ok(_)) => true,
                Some(Err(error)) => {
                    tracing::debug!(%error, "connection failed");
                    false
                }
            },
        };
        if !keep_going {
            break;
        }
    }
    for (_, task) in connection.subscriptions.drain() {
        task.abort();
    }
    drop(connection);
    let _ = writer.await;
    tracing::debug!("connection closed");
}

/// Starts what a request asked for once answered: a subscription task
/// pushing a group's deliveries, replacing any earlier one for the group.
fn follow(connection: &mut Connection, follow_up: FollowUp) {
    let FollowUp::Subscribe { group_id, after } = follow_up;
    let Some(session) = connection.session.clone() else {
        return;
    };
    let task = tokio::spawn(
        subscription::run(
            connection.state.relay.clone(),
            session,
            group_id.clone(),
            after,
            connection.out.clone(),
        )
        .in_current_span(),
    );
    if let Some(previous) = connection
        .subscriptions
        .insert(group_id, task.abort_handle())
    {
        previous.abort();
    }
}
