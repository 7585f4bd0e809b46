//! The state of one client connection and what it says to the client:
//! answers, pushes, and the end of a session. It knows nothing of the
//! request loop (`session`), the requests (`dispatch`) or the pushes of
//! deliveries (`subscription`); they all build on it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use axum::extract::ws::Message;
use liaison_proto::Bytes;
use liaison_proto::relay::{Push, Response, ResponseResult, ServerFrame};
use tokio::sync::{broadcast, mpsc};
use tokio::task::AbortHandle;

use crate::auth::{self, Session};
use crate::error::Error;
use crate::rate::TokenBucket;
use crate::relay::{ConnectionPermit, Relay, WelcomeNotice};
use crate::state::AppState;

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
    pub(super) permit: Option<ConnectionPermit>,
    /// The connection's subscription tasks by group, started and ended by
    /// the request loop (`session`).
    pub(super) subscriptions: HashMap<Vec<u8>, AbortHandle>,
}

/// Serialises a frame; our own types always serialise.
pub(super) fn text(frame: &ServerFrame) -> Message {
    Message::Text(serde_json::to_string(frame).unwrap_or_default().into())
}

impl Connection {
    /// A connection not yet authenticated, challenged with `nonce`, its
    /// frames queued on `out`.
    pub(super) fn new(
        state: AppState,
        out: mpsc::Sender<Message>,
        nonce: [u8; liaison_proto::relay::NONCE_LEN],
        binding: Option<[u8; liaison_proto::relay::CHANNEL_BINDING_LEN]>,
    ) -> Self {
        let limits = &state.relay.config.limits;
        let bucket = TokenBucket::new(limits.requests_per_second, limits.request_burst);
        Self {
            state,
            out,
            nonce,
            binding,
            session: None,
            bucket,
            permit: None,
            subscriptions: HashMap::new(),
        }
    }

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

    /// Pushes a Welcome addressed to this connection's officer; `false`
    /// once the client is gone.
    pub(super) async fn welcome(
        &self,
        notice: Result<WelcomeNotice, broadcast::error::RecvError>,
    ) -> bool {
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

    /// The relay's trust changed: checks the officer's certificate again
    /// and ends the session if it no longer verifies (revoked by a new CRL,
    /// its authority dropped).
    pub(super) async fn recheck(&mut self) -> bool {
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

/// Tells the client why its session ends (a response with id 0) and closes
/// the connection; subscriptions end with it.
pub(super) async fn end_session(connection: &Connection, error: Error) -> bool {
    tracing::info!(code = ?error.code(), "session closed by the relay");
    connection.answer(0, Err(error)).await;
    let _ = connection.out.send(Message::Close(None)).await;
    false
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
pub(super) fn relay_of(connection: &Connection) -> Arc<Relay> {
    connection.state.relay.clone()
}
