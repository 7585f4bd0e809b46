//! One client connection: challenge, authentication, then requests in
//! order, with deliveries and Welcomes pushed in between.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::extract::ws::{Message, WebSocket};
use futures_util::{SinkExt as _, StreamExt as _};
use liaison_proto::Bytes;
use liaison_proto::relay::{
    ErrorCode, PROTOCOL_VERSION, Push, Response, ResponseResult, ServerFrame,
};
use tokio::sync::{broadcast, mpsc};
use tokio::task::AbortHandle;
use tracing::{Instrument as _, field};

use super::dispatch::{FollowUp, handle_frame};
use super::subscription;
use crate::auth::{self, Session};
use crate::error::Error;
use crate::rate::TokenBucket;
use crate::relay::WelcomeNotice;
use crate::state::AppState;

/// How often the relay pings an idle client.
const PING_INTERVAL: Duration = Duration::from_secs(30);
/// Outgoing frames buffered per connection before pushes wait.
const OUTGOING: usize = 256;

/// The state of one connection.
pub(super) struct Connection {
    pub(super) state: AppState,
    pub(super) out: mpsc::Sender<Message>,
    pub(super) nonce: [u8; liaison_proto::relay::NONCE_LEN],
    /// The TLS session's channel binding; `None` when it could not be
    /// exported, and then no login succeeds.
    pub(super) binding: Option<[u8; liaison_proto::relay::CHANNEL_BINDING_LEN]>,
    pub(super) session: Option<Session>,
    pub(super) bucket: TokenBucket,
    /// Counts this connection against its officer's limit while it lives.
    pub(super) permit: Option<crate::relay::ConnectionPermit>,
    subscriptions: HashMap<Vec<u8>, AbortHandle>,
}

/// Serialises a frame; our own types always serialise.
pub(super) fn text(frame: &ServerFrame) -> Message {
    Message::Text(serde_json::to_string(frame).unwrap_or_default().into())
}

impl Connection {
    /// Queues a response or push; `false` once the client is gone.
    pub(super) async fn send(&self, frame: &ServerFrame) -> bool {
        self.out.send(text(frame)).await.is_ok()
    }

    /// Queues the answer to request `id`.
    pub(super) async fn answer(&self, id: u64, result: Result<Response, Error>) -> bool {
        let result = match result {
            Ok(response) => ResponseResult::Ok(response),
            Err(error) => {
                self.state.relay.metrics.error(error.code());
                tracing::debug!(code = ?error.code(), "refused");
                ResponseResult::Error(error.into_wire())
            }
        };
        self.send(&ServerFrame::Response { id, result }).await
    }

    fn follow(&mut self, follow_up: FollowUp) {
        let FollowUp::Subscribe { group_id, after } = follow_up;
        let Some(session) = self.session.clone() else {
            return;
        };
        let task = tokio::spawn(
            subscription::run(
                self.state.relay.clone(),
                session,
                group_id.clone(),
                after,
                self.out.clone(),
            )
            .in_current_span(),
        );
        if let Some(previous) = self.subscriptions.insert(group_id, task.abort_handle()) {
            previous.abort();
        }
    }

    async fn welcome(&self, notice: Result<WelcomeNotice, broadcast::error::RecvError>) -> bool {
        let Ok(notice) = notice else {
            // Lagged: the Welcomes still wait in the database.
            return true;
        };
        match &self.session {
            Some(session) if session.directory_key() == notice.officer_id => {
                let push = Push::Welcome {
                    welcome: Bytes(notice.welcome.as_ref().clone()),
                };
                self.send(&ServerFrame::Push { push }).await
            }
            _ => true,
        }
    }
}

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
    let mut connection = Connection {
        state: state.clone(),
        out,
        nonce,
        binding,
        session: None,
        bucket: TokenBucket::new(limits.requests_per_second, limits.request_burst),
        permit: None,
        subscriptions: HashMap::new(),
    };
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
                        connection.follow(follow_up);
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

/// Tells the client why its session ends (a response with id 0) and closes
/// the connection; subscriptions end with it.
async fn end_session(connection: &Connection, error: Error) -> bool {
    tracing::info!(code = ?error.code(), "session closed by the relay");
    connection.answer(0, Err(error)).await;
    let _ = connection.out.send(Message::Close(None)).await;
    false
}

impl Connection {
    /// The relay's trust changed: checks the officer's certificate again
    /// and ends the session if it no longer verifies (revoked by a new CRL,
    /// its authority dropped).
    async fn recheck(&mut self) -> bool {
        let Some(session) = &mut self.session else {
            return true;
        };
        let trust = self.state.relay.trust();
        match auth::recheck(&trust, session, SystemTime::now()) {
            Ok(not_after) => {
                session.not_after = not_after;
                true
            }
            Err(error) => end_session(self, error).await,
        }
    }
}

/// Whether an authenticated session's certificate is still valid.
pub(super) fn still_valid(session: &Session) -> bool {
    !session.expired(SystemTime::now())
}

/// Takes a token for a request; `false` when over the rate.
pub(super) fn within_rate(connection: &mut Connection) -> bool {
    connection.bucket.take(Instant::now())
}

/// A shared handle to the relay for blocking work.
pub(super) fn relay_of(connection: &Connection) -> Arc<crate::relay::Relay> {
    connection.state.relay.clone()
}
