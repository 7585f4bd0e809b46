//! The connection's background task: sends requests, matches responses to
//! them, routes pushes, and reconnects with bounded exponential backoff and
//! jitter when the connection drops, re-authenticating and re-subscribing.
//! Requests in flight when it drops, or made while it is down, fail with
//! [`DeliveryError::Unavailable`] so the sync layer retries them.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use liaison_identity::{CertificateChain, DeviceKey};
use liaison_proto::relay::{ClientFrame, Push, Request, Response, ResponseResult, ServerFrame};
use liaison_proto::{Bytes, Delivery, Seq};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_rustls::TlsConnector;

use super::connect::{self, Socket};
use super::error::{from_relay, is_credential_refusal};
use crate::delivery::DeliveryError;

/// What the client asks of the driver.
pub(super) enum Command {
    /// A request and where its answer goes.
    Call {
        request: Request,
        reply: oneshot::Sender<Result<Response, DeliveryError>>,
    },
    /// A subscription and where its deliveries go.
    Subscribe {
        group_id: Vec<u8>,
        after: Seq,
        sink: mpsc::UnboundedSender<Delivery>,
        reply: oneshot::Sender<Result<(), DeliveryError>>,
    },
}

impl Command {
    fn fail(self, error: DeliveryError) {
        match self {
            Self::Call { reply, .. } => {
                let _ = reply.send(Err(error));
            }
            Self::Subscribe { reply, .. } => {
                let _ = reply.send(Err(error));
            }
        }
    }
}

/// A request waiting for its response.
enum Pending {
    Call {
        reply: oneshot::Sender<Result<Response, DeliveryError>>,
        claimed: Option<String>,
    },
    Subscribe {
        group_id: Vec<u8>,
        after: Seq,
        sink: mpsc::UnboundedSender<Delivery>,
        reply: Option<oneshot::Sender<Result<(), DeliveryError>>>,
    },
}

impl Pending {
    fn fail(self, error: DeliveryError) {
        match self {
            Self::Call { reply, .. } => {
                let _ = reply.send(Err(error));
            }
            Self::Subscribe { reply, .. } => {
                if let Some(reply) = reply {
                    let _ = reply.send(Err(error));
                }
            }
        }
    }
}

/// An active subscription: where deliveries go, and the last one sent
/// there (the cursor to resubscribe from).
struct Sub {
    sink: mpsc::UnboundedSender<Delivery>,
    last: Seq,
}

/// Why serving a connection stopped.
enum End {
    /// The client was dropped.
    Closed,
    /// The connection failed.
    Dropped,
}

/// Reconnection timing.
pub(super) struct Backoff {
    pub(super) min: Duration,
    pub(super) max: Duration,
    pub(super) connect_timeout: Duration,
}

pub(super) struct Driver {
    pub(super) url: String,
    pub(super) tls: TlsConnector,
    pub(super) chain: CertificateChain,
    pub(super) key: DeviceKey,
    pub(super) backoff: Backoff,
    pub(super) commands: mpsc::Receiver<Command>,
    pub(super) welcomes: broadcast::Sender<Vec<u8>>,
    pub(super) connected: Arc<AtomicBool>,
    subs: HashMap<Vec<u8>, Sub>,
    next_id: u64,
}

fn dropped() -> DeliveryError {
    DeliveryError::Unavailable("the connection to the relay dropped".into())
}

/// A delay in `[delay / 2, delay]`, so that clients cut off together do
/// not come back together.
fn jitter(delay: Duration) -> Duration {
    let mut byte = [0u8; 1];
    let fraction = match getrandom::fill(&mut byte) {
        Ok(()) => f64::from(byte[0]) / 255.0,
        Err(_) => 1.0,
    };
    delay.mul_f64(0.5 + fraction / 2.0)
}

impl Driver {
    #[allow(clippy::too_many_arguments)] // One constructor, called once.
    pub(super) fn new(
        url: String,
        tls: TlsConnector,
        chain: CertificateChain,
        key: DeviceKey,
        backoff: Backoff,
        commands: mpsc::Receiver<Command>,
        welcomes: broadcast::Sender<Vec<u8>>,
        connected: Arc<AtomicBool>,
    ) -> Self {
        Self {
            url,
            tls,
            chain,
            key,
            backoff,
            commands,
            welcomes,
            connected,
            subs: HashMap::new(),
            // Id 1 was the authentication.
            next_id: 2,
        }
    }

    /// Runs until the client is dropped.
    pub(super) async fn run(mut self, mut socket: Socket) {
        loop {
            match self.serve(&mut socket).await {
                End::Closed => {
                    let _ = socket.close(None).await;
                    return;
                }
                End::Dropped => {
                    self.connected.store(false, Ordering::Release);
                    tracing::info!("connection to the relay dropped; reconnecting");
                }
            }
            match self.reconnect().await {
                Some(fresh) => socket = fresh,
                None => return,
            }
        }
    }

    fn id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(2);
        id
    }

    async fn serve(&mut self, socket: &mut Socket) -> End {
        let mut pending: HashMap<u64, Pending> = HashMap::new();
        let resubscribe: Vec<(Vec<u8>, Seq)> =
            self.subs.iter().map(|(g, s)| (g.clone(), s.last)).collect();
        for (group_id, after) in resubscribe {
            let Some(sub) = self.subs.remove(&group_id) else {
                continue;
            };
            let id = self.id();
            let frame = ClientFrame {
                id,
                request: Request::Subscribe {
                    group_id: Bytes(group_id.clone()),
                    after,
                },
            };
            pending.insert(
                id,
                Pending::Subscribe {
                    group_id,
                    after,
                    sink: sub.sink,
                    reply: None,
                },
            );
            if connect::send(socket, &frame).await.is_err() {
                return self.drop_all(pending);
            }
        }
        loop {
            tokio::select! {
                command = self.commands.recv() => {
                    let Some(command) = command else {
                        for (_, waiting) in pending.drain() {
                            waiting.fail(dropped());
                        }
                        return End::Closed;
                    };
                    let id = self.id();
                    let (frame, waiting) = match command {
                        Command::Call { request, reply } => {
                            let claimed = match &request {
                                Request::ClaimKeyPackage { officer_id, .. } => Some(officer_id.clone()),
                                _ => None,
                            };
                            (ClientFrame { id, request }, Pending::Call { reply, claimed })
                        }
                        Command::Subscribe { group_id, after, sink, reply } => (
                            ClientFrame {
                                id,
                                request: Request::Subscribe { group_id: Bytes(group_id.clone()), after },
                            },
                            Pending::Subscribe { group_id, after, sink, reply: Some(reply) },
                        ),
                    };
                    pending.insert(id, waiting);
                    if connect::send(socket, &frame).await.is_err() {
                        return self.drop_all(pending);
                    }
                }
                frame = connect::next_frame(socket) => match frame {
                    Ok(ServerFrame::Response { id, result }) => {
                        if let Some(waiting) = pending.remove(&id) {
                            self.answer(waiting, result);
                        }
                    }
                    Ok(ServerFrame::Push { push }) => self.push(push),
                    Err(error) => {
                        tracing::debug!(%error, "relay connection failed");
                        return self.drop_all(pending);
                    }
                },
            }
        }
    }

    fn drop_all(&mut self, pending: HashMap<u64, Pending>) -> End {
        for (_, waiting) in pending {
            // Subscriptions being re-established stay, to be retried on the
            // next connection.
            match waiting {
                Pending::Subscribe {
                    group_id,
                    after,
                    sink,
                    reply: None,
                } => {
                    self.subs.insert(group_id, Sub { sink, last: after });
                }
                other => other.fail(dropped()),
            }
        }
        End::Dropped
    }

    fn answer(&mut self, waiting: Pending, result: ResponseResult) {
        match (waiting, result) {
            (Pending::Call { reply, .. }, ResponseResult::Ok(response)) => {
                let _ = reply.send(Ok(response));
            }
            (Pending::Call { reply, claimed }, ResponseResult::Error(error)) => {
                let _ = reply.send(Err(from_relay(error, claimed.as_deref())));
            }
            (
                Pending::Subscribe {
                    group_id,
                    after,
                    sink,
                    reply,
                },
                ResponseResult::Ok(Response::Subscribed),
            ) => {
                self.subs.insert(group_id, Sub { sink, last: after });
                if let Some(reply) = reply {
                    let _ = reply.send(Ok(()));
                }
            }
            (Pending::Subscribe { reply, .. }, ResponseResult::Error(error)) => {
                // A subscription the relay no longer grants (the member
                // was removed) ends here: its receiver sees the end.
                if let Some(reply) = reply {
                    let _ = reply.send(Err(from_relay(error, None)));
                }
            }
            (Pending::Subscribe { reply, .. }, ResponseResult::Ok(_)) => {
                if let Some(reply) = reply {
                    let _ = reply.send(Err(DeliveryError::Malformed(
                        "unexpected answer to subscribe".into(),
                    )));
                }
            }
        }
    }

    fn push(&mut self, push: Push) {
        match push {
            Push::Deliver { delivery } => {
                let Some(sub) = self.subs.get_mut(&delivery.group_id) else {
                    return;
                };
                if delivery.seq <= sub.last {
                    return;
                }
                sub.last = delivery.seq;
                let group_id = delivery.group_id.clone();
                if sub.sink.send(delivery).is_err() {
                    // The receiver was dropped: stop routing this group.
                    self.subs.remove(&group_id);
                }
            }
            Push::Welcome { welcome } => {
                // No listener is fine: `welcomes` fetches them anyway.
                let _ = self.welcomes.send(welcome.0);
            }
            Push::Challenge { .. } => {}
        }
    }

    /// Connects again, failing commands meanwhile. `None` when the client
    /// was dropped.
    async fn reconnect(&mut self) -> Option<Socket> {
        let mut delay = self.backoff.min;
        loop {
            let sleep = tokio::time::sleep(jitter(delay));
            tokio::pin!(sleep);
            loop {
                tokio::select! {
                    () = &mut sleep => break,
                    command = self.commands.recv() => match command {
                        Some(command) => command.fail(DeliveryError::Unavailable(
                            "reconnecting to the relay".into(),
                        )),
                        None => return None,
                    },
                }
            }
            match connect::open(
                &self.url,
                &self.tls,
                &self.chain,
                &self.key,
                self.backoff.connect_timeout,
            )
            .await
            {
                Ok((socket, _)) => {
                    self.connected.store(true, Ordering::Release);
                    tracing::info!("reconnected to the relay");
                    self.next_id = 2;
                    return Some(socket);
                }
                Err(error) if is_credential_refusal(&error) => {
                    tracing::warn!(%error, "the relay refuses our credential; not reconnecting");
                    while let Some(command) = self.commands.recv().await {
                        command.fail(error.clone());
                    }
                    return None;
                }
                Err(error) => {
                    tracing::debug!(%error, ?delay, "reconnecting failed");
                    delay = delay.saturating_mul(2).min(self.backoff.max);
                }
            }
        }
    }
}
