//! One of the soak's clients: a channel member that connects, catches up
//! by `fetch` from the last sequence number it read, subscribes, submits
//! PrivateMessages now and then, reads recent history again now and then,
//! and after a while disconnects (sometimes without a close frame) to come
//! back a few seconds later. Every delivery is checked: in order, once, and
//! with the bytes the relay acknowledged at its position.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use liaison_proto::relay::{Push, Request, Response, ResponseResult, ServerFrame};
use liaison_proto::{Bytes, Delivery, Seq, Submission, SubmitOutcome};
use openmls::prelude::{MlsMessageIn, ProcessedMessageContent};
use tls_codec::Deserialize as _;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::ledger::{Check, Ledger, Rng, Tally, add, content_hash};
use crate::wire::{ANSWER_TIMEOUT, Endpoint, Failure, Ws, call, login, next_frame, send};
use crate::world::{Member, serialise};

/// Submits a client may have unanswered at once.
const SUBMITS_IN_FLIGHT: usize = 4;
/// Deliveries per catch-up `fetch` (the relay's most).
const CATCH_UP_LIMIT: u32 = 1000;
/// How far back a fetch of recent history reads.
const REFETCH: Seq = 20;
/// Below this many one-time key packages at the relay, a client publishes
/// more when it connects, as Liaison's clients do after each sync.
const KEY_PACKAGES_LOW: u32 = 2;
/// How long a client waits for its close frame to leave.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);
/// Pause after a failed session before trying again.
const RETRY_PAUSE: Duration = Duration::from_millis(500);

/// What the clients do, and how often.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// Mean seconds between one client's submits.
    pub(crate) submit_mean: f64,
    /// Mean seconds between one client's fetches of recent history.
    pub(crate) fetch_mean: f64,
    /// How long a session lasts before the client reconnects, in seconds.
    pub(crate) session: (f64, f64),
    /// Longest pause between two sessions, in seconds.
    pub(crate) offline_max: f64,
    /// Share of disconnections without a close frame.
    pub(crate) drop_share: f64,
    /// Plaintext bytes per message.
    pub(crate) payload: (usize, usize),
}

/// Where the run is.
#[derive(Clone, Debug)]
pub(crate) enum Phase {
    /// Traffic and reconnections.
    Soak,
    /// No new submits, fetches or reconnections; answers still come.
    Drain,
    /// Every submit is answered: each client leaves once it has read its
    /// channel up to the last acknowledged sequence number (by channel).
    Final(Arc<Vec<Seq>>),
}

/// What every client shares.
pub(crate) struct Shared {
    pub(crate) endpoint: Endpoint,
    pub(crate) ledger: Ledger,
    pub(crate) tally: Tally,
    pub(crate) plan: Plan,
    pub(crate) phase: watch::Receiver<Phase>,
}

/// How a session ended, when it ended as planned.
enum End {
    /// Time to disconnect and come back.
    Reconnect,
    /// The channel is read to the end of the run.
    Done,
}

/// A request awaiting its answer.
struct Pending {
    kind: Kind,
    written: Instant,
}

enum Kind {
    Submit { hash: u64 },
    Fetch,
}

/// How a delivery arrived.
#[derive(Clone, Copy)]
enum Via {
    Push,
    CatchUp,
}

pub(crate) struct Client {
    member: Member,
    shared: Arc<Shared>,
    rng: Rng,
    /// Deliveries whose position was not acknowledged yet when they came
    /// (the push can beat the submitter's answer): checked later.
    unverified: VecDeque<(Seq, u64)>,
    /// The cursor, for the final count of what was never read.
    cursor: Arc<AtomicU64>,
    next_id: u64,
}

impl Client {
    pub(crate) fn new(member: Member, shared: Arc<Shared>, cursor: Arc<AtomicU64>) -> Self {
        cursor.store(member.cursor, Ordering::Relaxed);
        Self {
            member,
            shared,
            rng: Rng::seeded(),
            unverified: VecDeque::new(),
            cursor,
            next_id: 2,
        }
    }

    fn tally(&self) -> &Tally {
        &self.shared.tally
    }

    fn ledger(&self) -> &Ledger {
        &self.shared.ledger
    }

    fn phase(&self) -> Phase {
        self.shared.phase.borrow().clone()
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Sessions until the end of the run; `first` is the first session's
    /// length (spread out so that reconnections do not come in waves).
    pub(crate) async fn run(mut self, start_after: Duration, first: Duration) {
        tokio::time::sleep(start_after).await;
        let mut length = first;
        loop {
            if self.read_to_the_end() {
                break;
            }
            match self.session(length).await {
                Ok(End::Done) => break,
                Ok(End::Reconnect) => {
                    add(&self.tally().reconnects, 1);
                    let offline = self.shared.plan.offline_max;
                    tokio::time::sleep(self.rng.seconds(0.0, offline)).await;
                }
                Err(failure) => {
                    self.tally().error(&failure.kind(), &failure);
                    tokio::time::sleep(RETRY_PAUSE).await;
                }
            }
            let (low, high) = self.shared.plan.session;
            length = self.rng.seconds(low, high);
        }
        self.verify_ready();
        if !self.unverified.is_empty() {
            let n = self.unverified.len();
            self.tally().error(
                "delivered but never acknowledged",
                format!("{n} deliveries of {}", self.member.officer.id),
            );
        }
    }

    /// Whether the run is over and this client has read everything.
    fn read_to_the_end(&self) -> bool {
        match self.phase() {
            Phase::Final(targets) => self.member.cursor >= targets[self.member.channel],
            _ => false,
        }
    }

    async fn session(&mut self, length: Duration) -> Result<End, Failure> {
        let officer = &self.member.officer;
        let mut ws = login(&self.shared.endpoint, &officer.chain, &officer.key).await?;
        add(&self.tally().logins, 1);
        self.next_id = 1;
        self.top_up_key_packages(&mut ws).await?;
        self.catch_up(&mut ws).await?;
        self.subscribe(&mut ws).await?;
        let end = self.live(&mut ws, length).await?;
        if matches!(end, End::Reconnect) && self.rng.unit() < self.shared.plan.drop_share {
            // Gone without a word, as a laptop closing its lid: the relay
            // must notice and free the connection by itself.
            add(&self.tally().dropped, 1);
            drop(ws);
        } else {
            // A relay that does not answer the close is caught by the
            // next login, not here.
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, ws.close(None)).await;
        }
        Ok(end)
    }

    async fn top_up_key_packages(&mut self, ws: &mut Ws) -> Result<(), Failure> {
        let id = self.id();
        let count = call(ws, id, Request::KeyPackageCount, "key_package_count").await?;
        let Response::KeyPackageCount { one_time, .. } = count else {
            return Err(Failure::Unexpected(format!("count answered {count:?}")));
        };
        if one_time >= KEY_PACKAGES_LOW {
            return Ok(());
        }
        let key_packages: Vec<Bytes> = (one_time..KEY_PACKAGES_LOW)
            .map(|_| {
                let provider = &self.member.provider;
                Bytes(self.member.officer.published_key_package(provider))
            })
            .collect();
        let n = key_packages.len() as u64;
        let id = self.id();
        let publish = Request::PublishKeyPackages { key_packages };
        call(ws, id, publish, "publish_key_packages").await?;
        add(&self.tally().published, n);
        Ok(())
    }

    /// Reads what was appended since the cursor, as the protocol says a
    /// client does before subscribing.
    async fn catch_up(&mut self, ws: &mut Ws) -> Result<(), Failure> {
        loop {
            let id = self.id();
            let fetch = Request::Fetch {
                group_id: Bytes(self.member.group_id.clone()),
                after: self.member.cursor,
                limit: CATCH_UP_LIMIT,
            };
            add(&self.tally().fetches, 1);
            let answer = call(ws, id, fetch, "catch-up fetch").await?;
            let Response::Deliveries { deliveries } = answer else {
                return Err(Failure::Unexpected(format!("fetch answered {answer:?}")));
            };
            if deliveries.is_empty() {
                return Ok(());
            }
            for delivery in deliveries {
                self.deliver(delivery, Via::CatchUp);
            }
        }
    }

    async fn subscribe(&mut self, ws: &mut Ws) -> Result<(), Failure> {
        let id = self.id();
        let subscribe = Request::Subscribe {
            group_id: Bytes(self.member.group_id.clone()),
            after: self.member.cursor,
        };
        match call(ws, id, subscribe, "subscribe").await? {
            Response::Subscribed => Ok(()),
            other => Err(Failure::Unexpected(format!("subscribe answered {other:?}"))),
        }
    }

    /// The subscribed part of a session: pushes in, submits and fetches
    /// out, until it is time to leave and every answer is in.
    async fn live(&mut self, ws: &mut Ws, length: Duration) -> Result<End, Failure> {
        let mut pending = HashMap::new();
        let result = self.live_loop(ws, length, &mut pending).await;
        // Submits that will never be answered on this connection.
        for request in pending.values() {
            if let Kind::Submit { .. } = request.kind {
                self.tally().in_flight.fetch_sub(1, Ordering::Relaxed);
                self.tally()
                    .error("submit unanswered", "the session ended before its answer");
            }
        }
        result
    }

    async fn live_loop(
        &mut self,
        ws: &mut Ws,
        length: Duration,
        pending: &mut HashMap<u64, Pending>,
    ) -> Result<End, Failure> {
        let start = Instant::now();
        let plan = self.shared.plan.clone();
        let leave_at = start + length;
        let mut next_submit =
            start + Duration::from_secs_f64(self.rng.exponential(plan.submit_mean));
        let mut next_fetch = start + Duration::from_secs_f64(self.rng.exponential(plan.fetch_mean));
        let mut phase = self.shared.phase.clone();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut ending: Option<End> = None;
        loop {
            if ending.is_none() && self.read_to_the_end() {
                ending = Some(End::Done);
            }
            if let Some(end) = ending.take_if(|_| pending.is_empty()) {
                return Ok(end);
            }
            let active = ending.is_none() && matches!(*phase.borrow(), Phase::Soak);
            let submits = pending
                .values()
                .filter(|p| matches!(p.kind, Kind::Submit { .. }))
                .count();
            tokio::select! {
                frame = next_frame(ws) => self.on_frame(frame?, pending)?,
                () = tokio::time::sleep_until(next_submit), if active && submits < SUBMITS_IN_FLIGHT => {
                    self.submit(ws, pending).await?;
                    next_submit += Duration::from_secs_f64(self.rng.exponential(plan.submit_mean));
                }
                () = tokio::time::sleep_until(next_fetch), if active => {
                    self.refetch(ws, pending).await?;
                    next_fetch += Duration::from_secs_f64(self.rng.exponential(plan.fetch_mean));
                }
                () = tokio::time::sleep_until(leave_at), if active => ending = Some(End::Reconnect),
                Ok(()) = phase.changed() => {}
                _ = tick.tick() => check_timeouts(pending)?,
            }
        }
    }

    fn on_frame(
        &mut self,
        frame: Option<ServerFrame>,
        pending: &mut HashMap<u64, Pending>,
    ) -> Result<(), Failure> {
        match frame {
            None => Err(Failure::Io("the relay closed the connection".to_owned())),
            Some(ServerFrame::Push {
                push: Push::Deliver { delivery },
            }) => {
                self.deliver(delivery, Via::Push);
                Ok(())
            }
            Some(ServerFrame::Push { push }) => {
                self.tally().error("unexpected push", format!("{push:?}"));
                Ok(())
            }
            Some(ServerFrame::Response { id, result }) => match pending.remove(&id) {
                Some(request) => {
                    self.on_answer(request, result);
                    Ok(())
                }
                // Id 0: the relay ends the session (expired, revoked...).
                None => Err(Failure::Unexpected(format!(
                    "answer {id} to no request: {result:?}"
                ))),
            },
        }
    }

    fn on_answer(&mut self, request: Pending, result: ResponseResult) {
        match (request.kind, result) {
            (Kind::Submit { hash }, result) => {
                self.tally().in_flight.fetch_sub(1, Ordering::Relaxed);
                self.on_submitted(hash, request.written, result);
            }
            (Kind::Fetch, ResponseResult::Ok(Response::Deliveries { deliveries })) => {
                self.on_refetched(&deliveries);
            }
            (Kind::Fetch, ResponseResult::Error(e)) => {
                self.tally().error(
                    &format!("refused {:?}", e.code),
                    format!("fetch: {}", e.message),
                );
            }
            (Kind::Fetch, other) => {
                self.tally()
                    .error("unexpected answer", format!("fetch answered {other:?}"));
            }
        }
    }

    fn on_submitted(&mut self, hash: u64, written: Instant, result: ResponseResult) {
        match result {
            ResponseResult::Ok(Response::Submitted {
                outcome: SubmitOutcome::Accepted { seq },
            }) => {
                add(&self.tally().accepted, 1);
                self.tally().acknowledged(written.elapsed());
                if !self.ledger().record(self.member.channel, seq, hash) {
                    self.tally()
                        .error("sequence number given twice", format!("seq {seq}"));
                }
                self.verify_ready();
            }
            ResponseResult::Ok(other) => {
                self.tally()
                    .error("submit not accepted", format!("{other:?}"));
            }
            ResponseResult::Error(e) => {
                self.tally().error(
                    &format!("refused {:?}", e.code),
                    format!("submit: {}", e.message),
                );
            }
        }
    }

    /// Recent history read again while subscribed: it must hold what was
    /// acknowledged.
    fn on_refetched(&mut self, deliveries: &[Delivery]) {
        add(&self.tally().refetched, deliveries.len() as u64);
        for delivery in deliveries {
            let hash = content_hash(&delivery.message);
            if let Check::Differs = self.ledger().check(self.member.channel, delivery.seq, hash) {
                add(&self.tally().mismatched, 1);
                self.tally().error(
                    "fetched message differs",
                    format!("seq {} of channel {}", delivery.seq, self.member.channel),
                );
            }
        }
    }

    /// One delivery in the client's stream: counted once, in order, checked.
    fn deliver(&mut self, delivery: Delivery, via: Via) {
        if delivery.group_id != self.member.group_id {
            self.tally()
                .error("delivery of another group", format!("seq {}", delivery.seq));
            return;
        }
        let (seq, cursor) = (delivery.seq, self.member.cursor);
        if seq <= cursor {
            add(&self.tally().duplicates, 1);
            return;
        }
        if seq > cursor + 1 {
            add(&self.tally().lost, seq - cursor - 1);
            self.tally().error(
                "gap in deliveries",
                format!(
                    "{} got seq {seq} after {cursor} in channel {}",
                    self.member.officer.id, self.member.channel
                ),
            );
        }
        self.member.cursor = seq;
        self.cursor.store(seq, Ordering::Relaxed);
        match via {
            Via::Push => add(&self.tally().pushed, 1),
            Via::CatchUp => add(&self.tally().caught_up, 1),
        }
        self.unverified
            .push_back((seq, content_hash(&delivery.message)));
        self.verify_ready();
        if is_public_message(&delivery.message) {
            self.merge_commit(&delivery.message);
        }
    }

    /// Checks the deliveries whose positions are acknowledged by now.
    fn verify_ready(&mut self) {
        while let Some(&(seq, hash)) = self.unverified.front() {
            match self.ledger().check(self.member.channel, seq, hash) {
                Check::Unknown => return,
                Check::Matches => add(&self.tally().verified, 1),
                Check::Differs => {
                    add(&self.tally().mismatched, 1);
                    self.tally().error(
                        "delivered message differs",
                        format!("seq {seq} of channel {}", self.member.channel),
                    );
                }
            }
            self.unverified.pop_front();
        }
    }

    /// Follows the admin's commit, so that this member's own messages stay
    /// in an epoch the relay and the others accept.
    fn merge_commit(&mut self, message: &[u8]) {
        let merged = (|| -> Result<(), String> {
            let protocol = MlsMessageIn::tls_deserialize_exact(message)
                .map_err(|e| e.to_string())?
                .try_into_protocol_message()
                .map_err(|e| e.to_string())?;
            let processed = self
                .member
                .group
                .process_message(&self.member.provider, protocol)
                .map_err(|e| e.to_string())?;
            if let ProcessedMessageContent::StagedCommitMessage(staged) = processed.into_content() {
                self.member
                    .group
                    .merge_staged_commit(&self.member.provider, *staged)
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        })();
        match merged {
            Ok(()) => add(&self.tally().commits_merged, 1),
            Err(error) => self.tally().error("commit not processed", error),
        }
    }

    async fn submit(
        &mut self,
        ws: &mut Ws,
        pending: &mut HashMap<u64, Pending>,
    ) -> Result<(), Failure> {
        let (low, high) = self.shared.plan.payload;
        let size = self.rng.between(low as f64, high as f64) as usize;
        let payload: Vec<u8> = (0..size).map(|_| self.rng.next_u64() as u8).collect();
        let signer = self.member.officer.key.to_openmls_signer();
        let message =
            match self
                .member
                .group
                .create_message(&self.member.provider, &signer, &payload)
            {
                Ok(message) => serialise(&message),
                Err(error) => {
                    self.tally().error("message not made", error);
                    return Ok(());
                }
            };
        let hash = content_hash(&message);
        let id = self.id();
        // Counted before writing: a write that fails may still have left.
        let written = Instant::now();
        pending.insert(
            id,
            Pending {
                kind: Kind::Submit { hash },
                written,
            },
        );
        add(&self.tally().submitted, 1);
        add(&self.tally().in_flight, 1);
        let submit = Request::Submit(Submission {
            group_id: self.member.group_id.clone(),
            message,
            welcome: None,
        });
        send(ws, id, submit).await
    }

    async fn refetch(
        &mut self,
        ws: &mut Ws,
        pending: &mut HashMap<u64, Pending>,
    ) -> Result<(), Failure> {
        let id = self.id();
        pending.insert(
            id,
            Pending {
                kind: Kind::Fetch,
                written: Instant::now(),
            },
        );
        add(&self.tally().fetches, 1);
        let fetch = Request::Fetch {
            group_id: Bytes(self.member.group_id.clone()),
            after: self.member.cursor.saturating_sub(REFETCH),
            limit: u32::try_from(REFETCH).unwrap_or(u32::MAX),
        };
        send(ws, id, fetch).await
    }
}

/// Fails the session when an answer is overdue.
fn check_timeouts(pending: &HashMap<u64, Pending>) -> Result<(), Failure> {
    let overdue = pending
        .values()
        .any(|p| p.written.elapsed() > ANSWER_TIMEOUT);
    if overdue {
        return Err(Failure::Timeout("a submit or fetch"));
    }
    Ok(())
}

/// Whether serialised MLS message bytes hold a PublicMessage (a handshake
/// message here: the admin's commits); application messages are
/// PrivateMessages. Bytes 2 and 3 are the wire format.
fn is_public_message(message: &[u8]) -> bool {
    message.get(2..4) == Some(&[0, 1])
}
