//! The relay on loopback: deliveries per second and submit-to-receipt
//! latency with 10, 100 and 1,000 subscribed clients.
//!
//! For each size a fresh relay (development certificate, SQLite on the real
//! disk with `synchronous = FULL`) serves one channel built with real MLS:
//! an admin creates it with openmls and adds every member by key package,
//! so the relay's public group state lets each of them subscribe. Every
//! client is an authenticated TLS 1.3 WebSocket on 127.0.0.1 speaking the
//! raw protocol. [`SENDERS`] members, who joined from the Welcome, submit
//! real MLS PrivateMessages made before the clock starts, over a second
//! connection each. Two phases per size:
//!
//! - `saturate`: the senders submit as fast as the relay answers (a window
//!   of requests in flight each), for at most [`PHASE`];
//! - `paced`: they offer [`GOAL_DELIVERIES`] deliveries per second in
//!   total (that many divided by the subscribers, in messages), for [`PHASE`].
//!
//! A delivery is one message pushed to one subscriber. Latency runs from
//! writing the submit frame to reading the push at the subscriber; the rate
//! is deliveries received over the time from the first submit to the last
//! receipt. Relay and clients share the machine's cores (one process).
//! The request rate limit is lifted so the senders measure the relay rather
//! than its per-connection policy. `docs/performance.md` reports the
//! results; run with `cargo bench -p liaison-relay --bench delivery`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use common::{Nation, TestRelay, anchors, certificate, nation, start_relay, tls_connector};
use futures_util::{SinkExt as _, StreamExt as _};
use liaison_core::{CertificateChain, DeviceKey};
use liaison_proto::relay::{
    CHANNEL_BINDING_LABEL, CHANNEL_BINDING_LEN, ClientFrame, Push, Request, Response,
    ResponseResult, ServerFrame, auth_signing_input,
};
use liaison_proto::{Bytes, POLICY_EXTENSION_TYPE, Seq, Submission, SubmitOutcome};
use openmls::prelude::*;
use openmls_rust_crypto::OpenMlsRustCrypto;
use rustls_pki_types::ServerName;
use serde::Deserialize;
use tls_codec::{Deserialize as _, Serialize as _};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

type Ws = WebSocketStream<TlsStream<TcpStream>>;

const SUITE: Ciphersuite = Ciphersuite::MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
/// Subscribed clients per run.
const SIZES: [usize; 3] = [10, 100, 1_000];
/// Members who also submit, each over a second connection.
const SENDERS: usize = 4;
/// Submits in flight per sender.
const WINDOW: usize = 16;
/// How long each phase submits.
const PHASE: Duration = Duration::from_secs(3);
/// How long to wait for the last deliveries of a phase.
const DRAIN: Duration = Duration::from_secs(30);
/// The deliveries per second offered in the paced phase (the goal at 100
/// clients).
const GOAL_DELIVERIES: usize = 20_000;
/// Caps the deliveries of the saturating phase so large sizes drain in time.
const SATURATE_DELIVERIES: usize = 600_000;
/// Plaintext per application message; with MLS framing a PrivateMessage
/// is about 480 bytes, like a short labelled message from the engine.
const PLAINTEXT: usize = 320;
/// Members added per commit (keeps each commit under the relay's 512 KiB
/// message limit).
const ADDS_PER_COMMIT: usize = 100;
/// The subscribers' WebSocket read buffer.
const CLIENT_READ_BUFFER: usize = 8 * 1024;
/// Concurrent connection handshakes during setup.
const CONNECT_PARALLEL: usize = 32;

/// An officer: id, certificate chain and device key seed.
struct Member {
    id: String,
    chain: CertificateChain,
    seed: [u8; 32],
}

impl Member {
    fn new(nation: &Nation, id: String) -> Self {
        let key = DeviceKey::generate().unwrap();
        let now = SystemTime::now();
        let chain = certificate(
            nation,
            &id,
            &key,
            now - Duration::from_secs(60),
            now + Duration::from_secs(86_400),
        );
        Self {
            id,
            chain,
            seed: *key.to_seed(),
        }
    }

    fn key(&self) -> DeviceKey {
        DeviceKey::from_seed(&self.seed)
    }

    fn credential(&self) -> CredentialWithKey {
        CredentialWithKey {
            credential: self.chain.to_mls_credential(),
            signature_key: self.key().public_key().to_vec().into(),
        }
    }

    fn key_package(&self, provider: &OpenMlsRustCrypto) -> KeyPackage {
        KeyPackage::builder()
            .leaf_node_capabilities(capabilities())
            .build(
                SUITE,
                provider,
                &self.key().to_openmls_signer(),
                self.credential(),
            )
            .unwrap()
            .key_package()
            .clone()
    }
}

fn capabilities() -> Capabilities {
    Capabilities::builder()
        .extensions(vec![
            ExtensionType::Unknown(POLICY_EXTENSION_TYPE),
            ExtensionType::LastResort,
        ])
        .credentials(vec![CredentialType::X509])
        .build()
}

fn serialise(message: &MlsMessageOut) -> Vec<u8> {
    message.tls_serialize_detached().unwrap()
}

fn frame(id: u64, request: Request) -> String {
    serde_json::to_string(&ClientFrame { id, request }).unwrap()
}

async fn next_frame(ws: &mut Ws) -> ServerFrame {
    loop {
        match ws.next().await.expect("connection open").unwrap() {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            _ => continue,
        }
    }
}

/// Sends a request and waits for its answer (no pushes are expected yet).
async fn request(ws: &mut Ws, id: u64, request: Request) -> Response {
    ws.send(Message::Text(frame(id, request).into()))
        .await
        .unwrap();
    loop {
        match next_frame(ws).await {
            ServerFrame::Response {
                id: got,
                result: ResponseResult::Ok(response),
            } if got == id => return response,
            ServerFrame::Response { result, .. } => panic!("refused: {result:?}"),
            ServerFrame::Push { .. } => continue,
        }
    }
}

/// An authenticated connection; its next request id is 2.
async fn login(addr: SocketAddr, url: &str, connector: &TlsConnector, member: &Member) -> Ws {
    let tcp = TcpStream::connect(addr).await.unwrap();
    tcp.set_nodelay(true).unwrap();
    let tls = connector
        .connect(ServerName::IpAddress(addr.ip().into()), tcp)
        .await
        .unwrap();
    // tungstenite zeroes its whole read buffer (128 KiB by default) before
    // every read; pushes are small, and the subscribers' cycles are the
    // relay's on a shared machine.
    let config = WebSocketConfig::default().read_buffer_size(CLIENT_READ_BUFFER);
    let (mut ws, _) = tokio_tungstenite::client_async_with_config(url, tls, Some(config))
        .await
        .unwrap();
    let ServerFrame::Push {
        push: Push::Challenge { nonce, relay, .. },
    } = next_frame(&mut ws).await
    else {
        panic!("expected a challenge");
    };
    let binding = ws
        .get_ref()
        .get_ref()
        .1
        .export_keying_material([0u8; CHANNEL_BINDING_LEN], CHANNEL_BINDING_LABEL, None)
        .unwrap();
    let signature = member
        .key()
        .sign(&auth_signing_input(&nonce.0, &binding, &relay));
    let authenticate = Request::Authenticate {
        certificate_chain: member
            .chain
            .certificates()
            .iter()
            .map(|c| Bytes(c.clone()))
            .collect(),
        signature: Bytes(signature.to_vec()),
    };
    let response = request(&mut ws, 1, authenticate).await;
    assert!(matches!(response, Response::Authenticated { .. }));
    ws
}

/// Opens many authenticated connections, a bounded number at a time.
async fn login_all(relay: &TestRelay, members: &[Arc<Member>]) -> Vec<Ws> {
    let connector = tls_connector(&relay.endpoint.certificate);
    let mut out = Vec::with_capacity(members.len());
    for chunk in members.chunks(CONNECT_PARALLEL) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|member| {
                let (addr, url) = (relay.endpoint.addr, relay.endpoint.url());
                let (connector, member) = (connector.clone(), member.clone());
                tokio::spawn(async move { login(addr, &url, &connector, &member).await })
            })
            .collect();
        for task in tasks {
            out.push(task.await.unwrap());
        }
    }
    out
}

/// The channel at the relay: its id, the sequence number of the last
/// commit, and the senders' groups (joined from the Welcome).
struct Channel {
    group_id: Vec<u8>,
    last_seq: Seq,
    senders: Vec<(MlsGroup, OpenMlsRustCrypto)>,
}

/// Creates the channel with the admin and adds every member, the senders
/// last so that they join from the final Welcome.
async fn build_channel(
    relay: &TestRelay,
    nation: &Nation,
    admin: &Member,
    members: &[Arc<Member>],
) -> Channel {
    let connector = tls_connector(&relay.endpoint.certificate);
    let mut ws = login(
        relay.endpoint.addr,
        &relay.endpoint.url(),
        &connector,
        admin,
    )
    .await;
    let provider = OpenMlsRustCrypto::default();
    let signer = admin.key().to_openmls_signer();
    // A real channel policy: the relay judges it (labels, admins, anchors)
    // with the members' rulebook.
    let policy = common::policy(&[admin.id.as_str()], &[nation]);
    let extensions = Extensions::from_vec(vec![
        Extension::RequiredCapabilities(RequiredCapabilitiesExtension::new(
            &[ExtensionType::Unknown(POLICY_EXTENSION_TYPE)],
            &[],
            &[CredentialType::X509],
        )),
        Extension::Unknown(POLICY_EXTENSION_TYPE, UnknownExtension(policy.encode())),
    ])
    .unwrap();
    let config = MlsGroupCreateConfig::builder()
        .ciphersuite(SUITE)
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .capabilities(capabilities())
        .with_group_context_extensions(extensions)
        .build();
    let mut group_id = vec![0u8; 16];
    getrandom::fill(&mut group_id).unwrap();
    let mut group = MlsGroup::new_with_group_id(
        &provider,
        &signer,
        &config,
        GroupId::from_slice(&group_id),
        admin.credential(),
    )
    .unwrap();
    let info = group
        .export_group_info(provider.crypto(), &signer, true)
        .unwrap();
    let mut id = 2;
    request(
        &mut ws,
        id,
        Request::CreateGroup {
            group_id: Bytes(group_id.clone()),
            group_info: Bytes(serialise(&info)),
        },
    )
    .await;

    // Only the senders need their key packages' private keys.
    let others = OpenMlsRustCrypto::default();
    let first_sender = members.len() - SENDERS;
    let sender_providers: Vec<OpenMlsRustCrypto> =
        (0..SENDERS).map(|_| OpenMlsRustCrypto::default()).collect();
    let packages: Vec<KeyPackage> = members
        .iter()
        .enumerate()
        .map(|(i, member)| match i.checked_sub(first_sender) {
            Some(s) => member.key_package(&sender_providers[s]),
            None => member.key_package(&others),
        })
        .collect();
    let mut last_seq = 0;
    let mut welcome = None;
    for batch in packages.chunks(ADDS_PER_COMMIT) {
        // Every commit states its instant (the commit stamp), which the
        // relay's rulebook requires.
        group.set_aad(liaison_rules::stamp_at(SystemTime::now()).encode());
        let (commit, batch_welcome, _) = group.add_members(&provider, &signer, batch).unwrap();
        id += 1;
        let submit = Request::Submit(Submission {
            group_id: group_id.clone(),
            message: serialise(&commit),
            welcome: None,
        });
        match request(&mut ws, id, submit).await {
            Response::Submitted {
                outcome: SubmitOutcome::Accepted { seq },
            } => last_seq = seq,
            other => panic!("commit not accepted: {other:?}"),
        }
        group.merge_pending_commit(&provider).unwrap();
        welcome = Some(batch_welcome);
    }
    let welcome = serialise(&welcome.unwrap());
    let join = MlsGroupJoinConfig::builder()
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .build();
    let senders = sender_providers
        .into_iter()
        .map(|provider| {
            let MlsMessageBodyIn::Welcome(welcome) =
                MlsMessageIn::tls_deserialize_exact(welcome.as_slice())
                    .unwrap()
                    .extract()
            else {
                panic!("not a Welcome");
            };
            let group = StagedWelcome::new_from_welcome(&provider, &join, welcome, None)
                .unwrap()
                .into_group(&provider)
                .unwrap();
            (group, provider)
        })
        .collect();
    let _ = ws.close(None).await;
    Channel {
        group_id,
        last_seq,
        senders,
    }
}

/// Just the sequence number of a `deliver` push: the subscribers read no
/// more of the frame, to leave the cores to the relay.
#[derive(Deserialize)]
struct SeqOfPush {
    push: Option<PushSeq>,
}

#[derive(Deserialize)]
struct PushSeq {
    delivery: Option<DeliverySeq>,
}

#[derive(Deserialize)]
struct DeliverySeq {
    seq: Seq,
}

/// What one subscriber received: sequence numbers and when.
type Log = Arc<Mutex<Vec<(Seq, Instant)>>>;

async fn subscribe(mut ws: Ws, group_id: Vec<u8>, after: Seq) -> Ws {
    let subscribe = Request::Subscribe {
        group_id: Bytes(group_id),
        after,
    };
    let response = request(&mut ws, 2, subscribe).await;
    assert_eq!(response, Response::Subscribed);
    ws
}

/// Reads pushes until told to stop.
async fn receive(mut ws: Ws, log: Log, received: Arc<AtomicU64>, mut stop: watch::Receiver<bool>) {
    loop {
        let message = tokio::select! {
            _ = stop.changed() => break,
            message = ws.next() => message,
        };
        let Some(Ok(message)) = message else { break };
        if let Message::Text(text) = message {
            let now = Instant::now();
            let seq = serde_json::from_str::<SeqOfPush>(&text)
                .ok()
                .and_then(|f| f.push)
                .and_then(|p| p.delivery)
                .map(|d| d.seq);
            if let Some(seq) = seq {
                log.lock().unwrap().push((seq, now));
                received.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    let _ = ws.close(None).await;
}

/// A sender's connection, its next request id and its unsent messages.
struct Sender {
    ws: Ws,
    next_id: u64,
    frames: std::vec::IntoIter<Vec<u8>>,
}

/// Submits at most `count` messages, paced at `interval` (none: as fast as
/// the window allows), for at most `PHASE`. Returns each accepted
/// sequence number with the time its submit was written and the time the
/// relay took to answer `accepted`.
async fn submit_phase(
    sender: &mut Sender,
    group_id: &[u8],
    count: usize,
    interval: Option<Duration>,
) -> Vec<(Seq, Instant, Duration)> {
    let (mut sink, mut stream) = (&mut sender.ws).split();
    let start = tokio::time::Instant::now();
    let mut written: HashMap<u64, Instant> = HashMap::new();
    let mut accepted = Vec::with_capacity(count);
    let mut sent = 0usize;
    loop {
        let more = sent < count && start.elapsed() < PHASE;
        if !more && written.is_empty() {
            break;
        }
        let due = match interval {
            Some(interval) => start + interval * u32::try_from(sent).unwrap(),
            None => start,
        };
        let can_send = more && written.len() < WINDOW;
        tokio::select! {
            () = tokio::time::sleep_until(due), if can_send => {
                let Some(message) = sender.frames.next() else {
                    panic!("out of pre-generated messages");
                };
                let id = sender.next_id;
                sender.next_id += 1;
                let text = frame(id, Request::Submit(Submission {
                    group_id: group_id.to_vec(),
                    message,
                    welcome: None,
                }));
                written.insert(id, Instant::now());
                sink.send(Message::Text(text.into())).await.unwrap();
                sent += 1;
            }
            message = stream.next() => {
                let Message::Text(text) = message.expect("connection open").unwrap() else {
                    continue;
                };
                match serde_json::from_str::<ServerFrame>(&text).unwrap() {
                    ServerFrame::Response {
                        id,
                        result: ResponseResult::Ok(Response::Submitted {
                            outcome: SubmitOutcome::Accepted { seq },
                        }),
                    } => {
                        let at = written.remove(&id).unwrap();
                        accepted.push((seq, at, at.elapsed()));
                    }
                    other => panic!("submit refused: {other:?}"),
                }
            }
        }
    }
    accepted
}

/// The figures of one phase.
struct Figures {
    messages: usize,
    deliveries: usize,
    expected: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    /// Submit to `accepted`, median.
    answer_p50: Duration,
    /// Submit to `accepted`, 99th percentile.
    answer_p99: Duration,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Runs one phase: every sender submits, then the subscribers drain.
async fn phase(
    senders: &mut [Sender],
    group_id: &[u8],
    logs: &[Log],
    received: &AtomicU64,
    messages: usize,
    interval: Option<Duration>,
) -> Figures {
    for log in logs {
        log.lock().unwrap().clear();
    }
    received.store(0, Ordering::Relaxed);
    let per_sender = messages.div_ceil(senders.len());
    let submitted: Vec<(Seq, Instant, Duration)> = futures_util::future::join_all(
        senders
            .iter_mut()
            .map(|s| submit_phase(s, group_id, per_sender, interval)),
    )
    .await
    .into_iter()
    .flatten()
    .collect();
    let mut answers: Vec<Duration> = submitted.iter().map(|s| s.2).collect();
    answers.sort_unstable();
    let written: HashMap<Seq, Instant> = submitted.iter().map(|s| (s.0, s.1)).collect();
    let expected = written.len() * logs.len();
    let deadline = Instant::now() + DRAIN;
    while received.load(Ordering::Relaxed) < expected as u64 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let first = written.values().min().copied().unwrap();
    let mut last = first;
    let mut latencies = Vec::with_capacity(expected);
    for log in logs {
        for (seq, at) in log.lock().unwrap().drain(..) {
            if let Some(sent) = written.get(&seq) {
                latencies.push(at.duration_since(*sent));
                last = last.max(at);
            }
        }
    }
    latencies.sort_unstable();
    let elapsed = last.duration_since(first).as_secs_f64();
    Figures {
        messages: written.len(),
        deliveries: latencies.len(),
        expected,
        per_second: latencies.len() as f64 / elapsed.max(f64::EPSILON),
        p50: percentile(&latencies, 0.50),
        p99: percentile(&latencies, 0.99),
        max: latencies.last().copied().unwrap_or_default(),
        answer_p50: percentile(&answers, 0.50),
        answer_p99: percentile(&answers, 0.99),
    }
}

fn print_row(clients: usize, phase: &str, offered: &str, f: &Figures) {
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    let missing = if f.deliveries < f.expected {
        format!("  ({} of {} delivered in time)", f.deliveries, f.expected)
    } else {
        String::new()
    };
    println!(
        "{clients:>6} {phase:>9} {offered:>11} {:>8} {:>12.0} {:>9.1} {:>9.1} {:>9.1} {:>10.1} {:>10.1}{missing}",
        f.messages,
        f.per_second,
        ms(f.p50),
        ms(f.p99),
        ms(f.max),
        ms(f.answer_p50),
        ms(f.answer_p99),
    );
}

/// The machine's one-minute load average: other work skews the figures.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The soft limit on open files, from `/proc/self/limits` (Linux).
fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line.split_whitespace().nth(3)?;
    if soft == "unlimited" {
        return Some(u64::MAX);
    }
    soft.parse().ok()
}

async fn run_size(gbr: &Nation, clients: usize) {
    let setup = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let mut limits = common::limits();
    // The senders measure the relay, not the per-connection rate limit.
    limits.requests_per_second = 1_000_000;
    limits.request_burst = 1_000_000;
    let relay = start_relay(dir.path(), anchors(&[gbr]), limits).await;
    let admin = Member::new(gbr, "gbr.admin".to_owned());
    let members: Vec<Arc<Member>> = (0..clients)
        .map(|i| Arc::new(Member::new(gbr, format!("gbr.member{i:04}"))))
        .collect();
    let mut channel = build_channel(&relay, gbr, &admin, &members).await;

    let saturate = (SATURATE_DELIVERIES / clients).min(8_000);
    let paced_rate = GOAL_DELIVERIES as f64 / clients as f64;
    let paced = (paced_rate * PHASE.as_secs_f64()).ceil() as usize;
    let per_sender = (saturate + paced).div_ceil(SENDERS) + SENDERS;
    let payload = vec![0x5Au8; PLAINTEXT];
    let mut message_size = 0;
    let mut frames = Vec::new();
    for (group, provider) in &mut channel.senders {
        let signer = members[clients - SENDERS + frames.len()]
            .key()
            .to_openmls_signer();
        let messages: Vec<Vec<u8>> = (0..per_sender)
            .map(|_| serialise(&group.create_message(provider, &signer, &payload).unwrap()))
            .collect();
        message_size = messages[0].len();
        frames.push(messages);
    }

    let received = Arc::new(AtomicU64::new(0));
    let (stop, stopped) = watch::channel(false);
    let mut logs = Vec::with_capacity(clients);
    let mut receivers = Vec::with_capacity(clients);
    for ws in login_all(&relay, &members).await {
        let ws = subscribe(ws, channel.group_id.clone(), channel.last_seq).await;
        let log = Log::default();
        receivers.push(tokio::spawn(receive(
            ws,
            log.clone(),
            received.clone(),
            stopped.clone(),
        )));
        logs.push(log);
    }
    let mut senders: Vec<Sender> = login_all(&relay, &members[clients - SENDERS..])
        .await
        .into_iter()
        .zip(frames)
        .map(|(ws, frames)| Sender {
            ws,
            next_id: 2,
            frames: frames.into_iter(),
        })
        .collect();
    println!(
        "{clients:>6} clients: setup {:.1} s ({} commits, PrivateMessage of {message_size} bytes)",
        setup.elapsed().as_secs_f64(),
        channel.last_seq
    );

    let group_id = channel.group_id.clone();
    let figures = phase(&mut senders, &group_id, &logs, &received, saturate, None).await;
    print_row(clients, "saturate", "max", &figures);
    let interval = Duration::from_secs_f64(SENDERS as f64 / paced_rate);
    let offered = format!("{GOAL_DELIVERIES}/s");
    let figures = phase(
        &mut senders,
        &group_id,
        &logs,
        &received,
        paced,
        Some(interval),
    )
    .await;
    print_row(clients, "paced", &offered, &figures);

    let _ = stop.send(true);
    for task in receivers {
        let _ = task.await;
    }
    for sender in &mut senders {
        let _ = sender.ws.close(None).await;
    }
    relay.stop().await;
}

/// The sizes to run: [`SIZES`], or those listed in `RELAY_BENCH_CLIENTS`
/// (comma separated), to profile one.
fn sizes() -> Vec<usize> {
    match std::env::var("RELAY_BENCH_CLIENTS") {
        Ok(list) => list
            .split(',')
            .map(|n| n.trim().parse().expect("RELAY_BENCH_CLIENTS: numbers"))
            .filter(|&n| n > SENDERS)
            .collect(),
        Err(_) => SIZES.to_vec(),
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let gbr = nation("GBR");
    let files = open_files_limit();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Relay fan-out on loopback, {cores} cores, {SENDERS} senders, load average {}",
        load_average()
    );
    println!(
        "{:>6} {:>9} {:>11} {:>8} {:>12} {:>9} {:>9} {:>9} {:>10} {:>10}",
        "subs",
        "phase",
        "offered",
        "messages",
        "deliveries/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "ack p50",
        "ack p99"
    );
    println!("(latency: submit to receipt at each subscriber; ack: submit to `accepted`)");
    for clients in sizes() {
        // Both ends of every connection live in this process.
        let needed = 2 * (clients + SENDERS) as u64 + 256;
        if files.is_some_and(|limit| limit < needed) {
            println!(
                "{clients} clients skipped: the open-files limit is {} and they need about {needed} (raise it with `ulimit -n {needed}`)",
                files.unwrap_or(0)
            );
            continue;
        }
        runtime.block_on(run_size(&gbr, clients));
    }
    println!("load average at the end {}", load_average());
}
