//! The relay, in its own process, is killed with SIGKILL in the middle of
//! traffic from several members and restarted on the same data directory
//! and port: every message whose send was accepted, and every message
//! queued in an outbox during the outage, ends up exactly once in every
//! member's store, in each sender's order.
//!
//! The relay process is this test binary run again with
//! [`relay_child_process`] as its only test: `cargo test -p liaison-e2e`
//! does not build the `liaison-relay` binary, and `CARGO_BIN_EXE_*` exists
//! only for a package's own binaries. The child serves with the same
//! `liaison_relay::Server` the binary's `main` runs, with its database
//! (WAL, `synchronous = FULL`) in the data directory.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::io::Write as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use liaison_core::{ChannelId, Draft, MessageId, SyncError, flush_outbox, pull};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::watch;

const DATA: &str = "LIAISON_E2E_RELAY_DATA";
const TRUST: &str = "LIAISON_E2E_RELAY_TRUST";
const LISTEN: &str = "LIAISON_E2E_RELAY_LISTEN";
const READY: &str = "LIAISON_E2E_RELAY_READY";

/// Messages each member sends.
const PER_MEMBER: usize = 40;
/// Accepted flushes (all members together) before the relay is killed.
const KILL_AFTER: usize = 30;
/// Failed flushes (all members together) before the relay is restarted.
const RESTART_AFTER: usize = 6;

/// The relay child process: serves until killed. Run only by
/// [`relay_killed_mid_traffic_loses_and_duplicates_nothing`], which sets
/// the environment; without it there is nothing to serve.
#[test]
#[ignore = "the relay process of the crash scenario, not a test of its own"]
fn relay_child_process() {
    let (Some(data), Some(trust), Ok(listen)) = (
        std::env::var_os(DATA),
        std::env::var_os(TRUST),
        std::env::var(LISTEN),
    ) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let trust = liaison_relay::load_trust(&[PathBuf::from(trust)]).unwrap();
        let listener = tokio::net::TcpListener::bind(&listen).await.unwrap();
        let config = liaison_relay::Config::new("relay.e2e", PathBuf::from(data), trust);
        let server = liaison_relay::Server::bind(listener, config).unwrap();
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{READY} {} {}",
            server.local_addr().unwrap(),
            server.certificate_path().display()
        )
        .unwrap();
        out.flush().unwrap();
        drop(out);
        server.run(std::future::pending()).await.unwrap();
    });
}

/// The relay child process and where it listens.
struct RelayProcess {
    child: Child,
    endpoint: Endpoint,
}

impl RelayProcess {
    /// Starts the relay on `listen` and waits until it has bound its port
    /// and written its certificate.
    async fn spawn(data: &Path, trust: &Path, listen: &str) -> Self {
        let partners = liaison_relay::load_trust(&[trust.to_path_buf()])
            .unwrap()
            .anchors()
            .to_vec();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "relay_child_process",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DATA, data)
            .env(TRUST, trust)
            .env(LISTEN, listen)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let endpoint = within("the relay process to start", async {
            loop {
                let line = lines
                    .next_line()
                    .await
                    .unwrap()
                    .expect("the relay process exited before listening");
                // libtest prints "test relay_child_process ... " first, on
                // the same line.
                if let Some((_, rest)) = line.split_once(READY) {
                    let (addr, certificate) = rest.trim().split_once(' ').unwrap();
                    break Endpoint {
                        addr: addr.parse().unwrap(),
                        certificate: PathBuf::from(certificate),
                        partners: partners.clone(),
                    };
                }
            }
        })
        .await;
        // Keep reading so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self { child, endpoint }
    }

    /// SIGKILL, and wait until the process is gone.
    async fn kill(mut self) {
        self.child.start_kill().unwrap();
        let status = within("the relay process to die", self.child.wait())
            .await
            .unwrap();
        assert_eq!(status.signal(), Some(9), "{status:?}");
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Progress {
    /// Flushes the relay accepted.
    accepted: usize,
    /// Flushes or pulls that failed because the relay was unreachable.
    failed: usize,
}

/// What one sender did.
struct Sent {
    member: Member,
    /// Our messages, in the order sent.
    ids: Vec<MessageId>,
    /// How many were sent while the relay was unreachable.
    queued_in_outage: usize,
}

fn transient(error: &SyncError) -> bool {
    matches!(error, SyncError::Delivery(e) if e.is_transient())
}

/// One member's traffic: send, flush, now and then pull; an unreachable
/// relay leaves messages in the outbox, to be flushed once it is back.
fn traffic(
    mut member: Member,
    channel: ChannelId,
    progress: Arc<watch::Sender<Progress>>,
) -> tokio::task::JoinHandle<Sent> {
    tokio::spawn(async move {
        let mut ids = Vec::with_capacity(PER_MEMBER);
        let mut queued_in_outage = 0;
        for index in 0..PER_MEMBER {
            let body = format!("{} #{index:02}", member.id());
            ids.push(member.engine.send(&channel, Draft::text(body)).unwrap());
            match flush_outbox(&mut member.engine, &member.client).await {
                Ok(stale) => {
                    assert_eq!(stale, 0);
                    progress.send_modify(|p| p.accepted += 1);
                }
                Err(error) if transient(&error) => {
                    queued_in_outage += 1;
                    progress.send_modify(|p| p.failed += 1);
                    // Pace the sender while the relay is away.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(error) => panic!("{}: {error}", member.id()),
            }
            if index % 5 == 4 {
                match pull(&mut member.engine, &member.client, &channel).await {
                    Ok(_) => {}
                    Err(error) if transient(&error) => {}
                    Err(error) => panic!("{}: {error}", member.id()),
                }
            }
        }
        // Drain what the outage left in the outbox.
        while !member.engine.outbox().unwrap().is_empty() {
            match flush_outbox(&mut member.engine, &member.client).await {
                Ok(stale) => assert_eq!(stale, 0),
                Err(error) if transient(&error) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(error) => panic!("{}: {error}", member.id()),
            }
        }
        Sent {
            member,
            ids,
            queued_in_outage,
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_killed_mid_traffic_loses_and_duplicates_nothing() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let dir = tempfile::tempdir().unwrap();
    let (data, trust) = (dir.path().join("data"), dir.path().join("trust"));
    std::fs::create_dir_all(&trust).unwrap();
    for n in [&gbr, &fra, &deu] {
        let file = trust.join(format!("{}.der", n.nation()));
        std::fs::write(file, n.certificate_der()).unwrap();
    }
    let relay = RelayProcess::spawn(&data, &trust, "127.0.0.1:0").await;
    let at = relay.endpoint.clone();
    let pinned = std::fs::read(&at.certificate).unwrap();

    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut ops = Member::enrol(&at, identity(&gbr, "gbr.ops")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut ops, &mut fr, &mut de],
    )
    .await;

    let (progress, mut watching) = watch::channel(Progress::default());
    let progress = Arc::new(progress);
    let senders: Vec<_> = [admin, ops, fr, de]
        .into_iter()
        .map(|m| traffic(m, channel.clone(), progress.clone()))
        .collect();

    within(
        "traffic before the crash",
        watching.wait_for(|p| p.accepted >= KILL_AFTER),
    )
    .await
    .unwrap();
    relay.kill().await;
    // Members notice, and queue messages meanwhile.
    let outage = within(
        "traffic during the outage",
        watching.wait_for(|p| p.failed >= RESTART_AFTER),
    )
    .await
    .unwrap()
    .to_owned();
    let relay = RelayProcess::spawn(&data, &trust, &at.addr.to_string()).await;
    assert_eq!(relay.endpoint.addr, at.addr);
    assert_eq!(std::fs::read(&relay.endpoint.certificate).unwrap(), pinned);

    let mut sent = Vec::new();
    for sender in senders {
        sent.push(within("a sender to finish", sender).await.unwrap());
    }
    let queued: usize = sent.iter().map(|s| s.queued_in_outage).sum();
    assert!(
        queued >= RESTART_AFTER && outage.accepted >= KILL_AFTER,
        "the crash fell outside the traffic: {queued} queued, {outage:?}"
    );
    eprintln!(
        "killed after {} accepted sends; {queued} messages queued during the outage",
        outage.accepted
    );
    for s in &mut sent {
        s.member.pull(&channel).await;
        assert!(s.member.engine.outbox().unwrap().is_empty());
    }

    let everything: HashSet<MessageId> = sent.iter().flat_map(|s| s.ids.clone()).collect();
    assert_eq!(everything.len(), 4 * PER_MEMBER);
    for s in &sent {
        let stored: Vec<MessageId> = s
            .member
            .messages(&channel)
            .iter()
            .map(|m| m.message_id)
            .collect();
        let distinct: HashSet<MessageId> = stored.iter().copied().collect();
        assert_eq!(
            stored.len(),
            distinct.len(),
            "{} holds duplicates",
            s.member.id()
        );
        assert_eq!(distinct, everything, "{} lost messages", s.member.id());
        // Each sender's messages arrive in the order they were sent.
        for other in &sent {
            let theirs: HashSet<MessageId> = other.ids.iter().copied().collect();
            let order: Vec<MessageId> = stored
                .iter()
                .copied()
                .filter(|id| theirs.contains(id))
                .collect();
            assert_eq!(
                order,
                other.ids,
                "{} holds {}'s messages out of order",
                s.member.id(),
                other.member.id()
            );
        }
    }
    let view = assert_agree(sent.iter_mut().map(|s| &mut s.member), &channel);
    assert_eq!(view.epoch, 1);
    relay.kill().await;
}
