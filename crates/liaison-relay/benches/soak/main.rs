//! Soak: the relay carries mixed traffic for a long time (by default 1,000
//! clients for 10 minutes) with reconnections, and the bench checks that
//! its memory stays bounded, that it answers no errors, and that every
//! acknowledged message reaches every member of its channel exactly once.
//!
//! The relay is the `liaison-relay` binary, run as its own process with
//! its default limits, a development certificate, durable SQLite in a
//! fresh data directory, and three partner authorities (GBR, FRA, DEU) as
//! its trust. Its resident memory is read from `/proc/PID/status` (RSS and
//! peak) and `/proc/PID/smaps_rollup` (PSS), its gauges from `/metrics`,
//! every `--sample-every` seconds.
//!
//! The clients live in this process. An admin builds `clients /
//! channel_size` channels with openmls under a real channel policy and
//! adds the members by key package; each member joins from the Welcome.
//! Each client then speaks the raw protocol over its own authenticated TLS
//! WebSocket on loopback ([`client`]): catch-up `fetch` from its cursor,
//! `subscribe`, PrivateMessages submitted as a Poisson process (together
//! `--rate` per second), now and then a `fetch` of recent history, a key
//! package top-up at each login, and after 30 to 120 s a disconnection
//! (a quarter of them without a close frame) and a login a few seconds
//! later. The admin adds and removes one spare officer per channel in
//! turn, through publish, claim, commit with Welcome, Welcome notice,
//! `welcomes` and `drop_welcomes` ([`admin`]); members merge these commits.
//!
//! At the end submits stop, every answer is awaited, and each client reads
//! its channel up to the last acknowledged sequence number. A delivery is
//! lost when a client's stream skips its position or the client never
//! reads it, duplicated when it comes at or below the client's cursor, and
//! mismatched when its bytes are not those acknowledged at its position.
//!
//! The relay's memory is bounded when the mean RSS of the soak's last
//! third is at most `--growth-limit` (1.25) times that of its middle third
//! (the first third, where caches and allocator arenas fill, is left out).
//! The bench exits non-zero on any loss, duplicate, mismatch or error
//! (an error answer, an I/O error, a timeout, a relay log line at ERROR, a
//! relay that does not stop cleanly on SIGTERM) or unbounded growth.
//!
//! Not part of the test command. Run with `cargo xtask soak` (release
//! build; arguments pass through, e.g. `cargo xtask soak --duration 60
//! --clients 200`); `docs/performance.md` reports the results.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../../tests/common/mod.rs"]
mod common;

mod admin;
mod client;
mod ledger;
mod relay_process;
mod report;
mod wire;
mod world;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use clap::Parser;
use liaison_proto::Seq;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use client::{Client, Phase, Plan, Shared};
use ledger::{Ledger, Tally, read};
use relay_process::{RelayProcess, RelayView, read_memory};
use report::{Deliveries, Growth, Sample, mib};
use wire::Endpoint;
use world::{MAX_CHANNEL_SIZE, Nations};

/// Soak the relay: many clients, mixed traffic, reconnections, memory
/// sampled over time.
#[derive(Parser, Debug, Clone)]
#[command(about)]
struct Args {
    /// Connected clients (channel members).
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Members per channel (the last channel may be smaller).
    #[arg(long, default_value_t = 50)]
    channel_size: usize,
    /// Seconds of mixed traffic.
    #[arg(long, default_value_t = 600)]
    duration: u64,
    /// Application messages submitted per second, all clients together.
    #[arg(long, default_value_t = 300.0)]
    rate: f64,
    /// Shortest session before a client reconnects, in seconds.
    #[arg(long, default_value_t = 30.0)]
    session_min: f64,
    /// Longest session before a client reconnects, in seconds.
    #[arg(long, default_value_t = 120.0)]
    session_max: f64,
    /// Longest pause offline between two sessions, in seconds.
    #[arg(long, default_value_t = 5.0)]
    offline_max: f64,
    /// Share of disconnections without a close frame.
    #[arg(long, default_value_t = 0.25)]
    drop_share: f64,
    /// Mean seconds between one client's fetches of recent history.
    #[arg(long, default_value_t = 60.0)]
    fetch_every: f64,
    /// Seconds between the admin's commits (adding or removing a spare).
    /// Every other commit claims a key package, and the relay budgets an
    /// officer's claims (64 at once, then 240 an hour): at 5 s the burst
    /// lasts about 30 minutes; for longer runs use 7.5 or more.
    #[arg(long, default_value_t = 5.0)]
    commit_every: f64,
    /// Seconds between two samples of the relay's memory.
    #[arg(long, default_value_t = 10)]
    sample_every: u64,
    /// Most seconds for every client to read its channel to the end.
    #[arg(long, default_value_t = 180)]
    drain_timeout: u64,
    /// Largest allowed ratio of the last third's mean RSS to the middle
    /// third's.
    #[arg(long, default_value_t = 1.25)]
    growth_limit: f64,
    /// Keep the relay's data directory and log here (default: a temporary
    /// directory, deleted at the end).
    #[arg(long)]
    keep: Option<PathBuf>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

/// Smallest and largest plaintext of a message: a line to a page.
const PAYLOAD: (usize, usize) = (100, 1_500);
/// The relay's default `max_messages_per_group`: a run that would order
/// more messages in a channel measures the queue limit instead.
const QUEUE_LIMIT: f64 = 100_000.0;

fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(problem) = check(&args) {
        eprintln!("soak: {problem}");
        return ExitCode::from(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(soak(args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(problem) => {
            eprintln!("soak: {problem}");
            ExitCode::FAILURE
        }
    }
}

fn check(args: &Args) -> Result<(), String> {
    if args.clients == 0 || args.channel_size == 0 || args.channel_size > MAX_CHANNEL_SIZE {
        return Err(format!(
            "--clients must be positive and --channel-size 1 to {MAX_CHANNEL_SIZE}"
        ));
    }
    if args.session_min <= 0.0 || args.session_max < args.session_min || args.rate <= 0.0 {
        return Err(
            "--rate and --session-min must be positive, --session-max ≥ --session-min".to_owned(),
        );
    }
    let per_channel = args.rate * args.duration as f64 / channels(args) as f64;
    if per_channel > 0.9 * QUEUE_LIMIT {
        return Err(format!(
            "about {per_channel:.0} messages per channel would reach the relay's queue limit \
             ({QUEUE_LIMIT}); lower --rate or --duration, or add clients"
        ));
    }
    let files = open_files_limit().unwrap_or(u64::MAX);
    let needed = args.clients as u64 + 256;
    if files < needed {
        return Err(format!(
            "the open-files limit is {files}; the clients need about {needed} (`ulimit -n {needed}`)"
        ));
    }
    Ok(())
}

fn channels(args: &Args) -> usize {
    args.clients.div_ceil(args.channel_size)
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

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Logins per second while the clients first connect.
const CONNECTS_PER_SECOND: f64 = 100.0;
/// How long the clients may take to all be connected at the start.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(180);
/// How long the last submits may take to be answered at the end.
const ANSWERS_TIMEOUT: Duration = Duration::from_secs(60);
/// Pause between the clients leaving and the idle sample: longer than the
/// 10 s tokio keeps an idle blocking thread, so the idle relay has shed
/// the threads the load made.
const SETTLE: Duration = Duration::from_secs(15);

/// Takes the samples: the relay's memory and gauges, the clients' count.
struct Probe {
    view: RelayView,
    shared: Arc<Shared>,
    bench_start: Instant,
    /// Seconds from the bench's start to the soak clock's.
    soak_offset: OnceLock<f64>,
    samples: Mutex<Vec<Sample>>,
}

impl Probe {
    /// Takes, prints and keeps one sample.
    async fn sample(&self, phase: &'static str) {
        let gauges = match self.view.gauges(&self.shared.endpoint).await {
            Ok(gauges) => Some(gauges),
            Err(problem) => {
                self.shared.tally.error("metrics unreadable", problem);
                None
            }
        };
        let tally = &self.shared.tally;
        let sample = Sample {
            elapsed: self.bench_start.elapsed().as_secs_f64(),
            phase,
            memory: self.view.memory(),
            gauges,
            database_bytes: self.view.database_bytes(),
            delivered: read(&tally.pushed) + read(&tally.caught_up),
            bench_rss_kib: read_memory("self").rss_kib,
        };
        report::print_sample(&sample, self.soak_offset.get().copied());
        self.samples
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(sample);
    }

    /// Starts the soak clock: samples are timed from now.
    fn start_clock(&self) {
        let _ = self
            .soak_offset
            .set(self.bench_start.elapsed().as_secs_f64());
    }

    fn offset(&self) -> f64 {
        self.soak_offset.get().copied().unwrap_or(0.0)
    }

    fn samples(&self) -> Vec<Sample> {
        self.samples
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Samples every `every` until told to stop.
async fn sampler(probe: Arc<Probe>, every: Duration, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval_at(Instant::now() + every, every);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        let phase = match *probe.shared.phase.borrow() {
            Phase::Soak => "soak",
            Phase::Drain | Phase::Final(_) => "drain",
        };
        probe.sample(phase).await;
    }
}

/// A client's place in the count: its channel, where it joined, and its
/// cursor as it moves.
struct Seat {
    channel: usize,
    joined: Seq,
    cursor: Arc<AtomicU64>,
}

async fn soak(args: Args) -> Result<bool, String> {
    let channels = channels(&args);
    let temporary = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let root = args
        .keep
        .clone()
        .unwrap_or_else(|| temporary.path().to_path_buf());
    print_intro(&args, channels);
    let nations = Nations::new();
    let mut relay = RelayProcess::spawn(&root, &nations)?;
    relay.ready().await?;
    let view = relay.view.clone();
    let (phase_tx, phase) = watch::channel(Phase::Soak);
    let shared = Arc::new(Shared {
        endpoint: Endpoint {
            addr: view.addr,
            connector: common::tls_connector(&view.certificate()),
        },
        ledger: Ledger::new(channels),
        tally: Tally::default(),
        plan: plan(&args),
        phase,
    });
    let probe = Arc::new(Probe {
        view,
        shared: shared.clone(),
        bench_start: Instant::now(),
        soak_offset: OnceLock::new(),
        samples: Mutex::new(Vec::new()),
    });
    report::print_sample_header();
    probe.sample("start").await;

    let setup = Instant::now();
    let world = world::build(
        &shared.endpoint,
        &nations,
        &shared.ledger,
        args.clients,
        args.channel_size,
    )
    .await
    .map_err(|f| format!("setup: {f}"))?;
    println!(
        "setup: {channels} channels built in {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    probe.sample("setup").await;

    let (seats, clients) = start_clients(world.members, &shared, &args);
    wait_for_logins(&shared.tally, args.clients).await?;
    probe.start_clock();
    probe.sample("ready").await;
    let spares = admin::spares(&nations, channels);
    let admin = tokio::spawn(admin::run(
        world.admin,
        spares,
        shared.clone(),
        Duration::from_secs_f64(args.commit_every),
    ));
    let (stop_sampling, sampling) = watch::channel(false);
    let sampler = tokio::spawn(sampler(
        probe.clone(),
        Duration::from_secs(args.sample_every),
        sampling,
    ));

    tokio::time::sleep(Duration::from_secs(args.duration)).await;
    println!("soak over: submits stop; waiting for every client to read its channel to the end");
    let _ = phase_tx.send(Phase::Drain);
    let _ = admin.await;
    wait_for_answers(&shared.tally).await;
    let targets: Vec<Seq> = (0..channels).map(|c| shared.ledger.last_seq(c)).collect();
    let _ = phase_tx.send(Phase::Final(Arc::new(targets.clone())));
    let unfinished = finish_clients(clients, Duration::from_secs(args.drain_timeout)).await;
    let _ = stop_sampling.send(true);
    let _ = sampler.await;
    probe.sample("drained").await;
    tokio::time::sleep(SETTLE).await;
    probe.sample("idle").await;

    let relay_running = relay.running();
    let stopped = relay.stop().await;
    let deliveries = count_deliveries(&shared.tally, &seats, &targets);
    let outcome = Outcome {
        args: &args,
        samples: probe.samples(),
        soak_offset: probe.offset(),
        deliveries,
        unfinished,
        relay_running,
        stopped,
        log: probe.view.log_lines(),
        holes: (0..channels).map(|c| shared.ledger.holes(c)).sum(),
    };
    let passed = print_report(&outcome, &shared.tally);
    if let Some(keep) = &args.keep {
        println!("relay data and log kept in {}", keep.display());
    }
    Ok(passed)
}

fn plan(args: &Args) -> Plan {
    Plan {
        submit_mean: args.clients as f64 / args.rate,
        fetch_mean: args.fetch_every,
        session: (args.session_min, args.session_max),
        offline_max: args.offline_max,
        drop_share: args.drop_share,
        payload: PAYLOAD,
    }
}

fn print_intro(args: &Args, channels: usize) {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Relay soak: {} clients in {channels} channels, {} s, {} submits/s offered, sessions of {}-{} s, \
         offline up to {} s, {:.0} % dropped without close, a commit every {} s",
        args.clients,
        args.duration,
        args.rate,
        args.session_min,
        args.session_max,
        args.offline_max,
        args.drop_share * 100.0,
        args.commit_every,
    );
    println!(
        "{cores} cores, load average {}; the relay is a separate process (liaison-relay, default limits)",
        load_average()
    );
}

/// Spawns every client, their first logins spread over a ramp.
fn start_clients(
    members: Vec<world::Member>,
    shared: &Arc<Shared>,
    args: &Args,
) -> (Vec<Seat>, Vec<JoinHandle<()>>) {
    let ramp = members.len() as f64 / CONNECTS_PER_SECOND;
    let mut rng = ledger::Rng::seeded();
    let count = members.len().max(1) as f64;
    let mut seats = Vec::with_capacity(members.len());
    let mut handles = Vec::with_capacity(members.len());
    for (i, member) in members.into_iter().enumerate() {
        let cursor = Arc::new(AtomicU64::new(member.cursor));
        seats.push(Seat {
            channel: member.channel,
            joined: member.cursor,
            cursor: cursor.clone(),
        });
        let start_after = Duration::from_secs_f64(ramp * i as f64 / count);
        // The first sessions end at spread-out times, so reconnections do
        // not come in waves.
        let first = rng.seconds(args.session_min, args.session_max);
        let client = Client::new(member, shared.clone(), cursor);
        handles.push(tokio::spawn(client.run(start_after, first)));
    }
    (seats, handles)
}

async fn wait_for_logins(tally: &Tally, clients: usize) -> Result<(), String> {
    let deadline = Instant::now() + CONNECT_TIMEOUT;
    while read(&tally.logins) < clients as u64 {
        if Instant::now() > deadline {
            return Err(format!(
                "only {} of {clients} clients logged in within {CONNECT_TIMEOUT:?}",
                read(&tally.logins)
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Waits until no submit is unanswered (each is answered, or its session
/// ended and it was counted as an error).
async fn wait_for_answers(tally: &Tally) {
    let deadline = Instant::now() + ANSWERS_TIMEOUT;
    while tally.in_flight.load(Ordering::Relaxed) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for the clients to read their channels to the end; returns how
/// many did not in time (they are stopped).
async fn finish_clients(clients: Vec<JoinHandle<()>>, timeout: Duration) -> usize {
    let deadline = Instant::now() + timeout;
    let mut unfinished = 0;
    for mut client in clients {
        if tokio::time::timeout_at(deadline, &mut client)
            .await
            .is_err()
        {
            client.abort();
            unfinished += 1;
        }
    }
    unfinished
}

fn count_deliveries(tally: &Tally, seats: &[Seat], targets: &[Seq]) -> Deliveries {
    let mut deliveries = Deliveries {
        pushed: read(&tally.pushed),
        caught_up: read(&tally.caught_up),
        lost: read(&tally.lost),
        duplicated: read(&tally.duplicates),
        mismatched: read(&tally.mismatched),
        verified: read(&tally.verified),
        ..Deliveries::default()
    };
    for seat in seats {
        let target = targets[seat.channel];
        deliveries.expected += target.saturating_sub(seat.joined);
        // Never read by the end of the run.
        deliveries.lost += target.saturating_sub(seat.cursor.load(Ordering::Relaxed));
    }
    deliveries
}

/// Everything the report shows.
struct Outcome<'a> {
    args: &'a Args,
    samples: Vec<Sample>,
    /// Seconds from the bench's start to the soak clock's.
    soak_offset: f64,
    deliveries: Deliveries,
    unfinished: usize,
    relay_running: bool,
    stopped: Result<std::process::ExitStatus, String>,
    log: (Vec<String>, Vec<String>),
    /// Positions whose acknowledgement no client saw.
    holes: u64,
}

/// Prints the report; returns whether the soak passed.
fn print_report(outcome: &Outcome<'_>, tally: &Tally) -> bool {
    let args = outcome.args;
    let samples = &outcome.samples;
    let duration = args.duration as f64;
    let growth = report::growth(samples, outcome.soak_offset, duration, args.growth_limit);
    println!();
    println!("== Relay memory over time (t from the soak's start) ==");
    report::print_sample_header();
    for sample in samples {
        report::print_sample(sample, Some(outcome.soak_offset));
    }
    print_memory_summary(samples, &growth, args.growth_limit);
    print_traffic(tally, duration);
    let d = &outcome.deliveries;
    println!("== Deliveries (to the {} clients) ==", args.clients);
    println!(
        "  expected {}  received {} (push {}, catch-up fetch {})  lost {}  duplicated {}  \
         mismatched {}  verified against the acknowledged bytes {}",
        d.expected,
        d.received(),
        d.pushed,
        d.caught_up,
        d.lost,
        d.duplicated,
        d.mismatched,
        d.verified
    );
    if outcome.holes > 0 {
        println!(
            "  {} positions were ordered but their answer never reached the submitter",
            outcome.holes
        );
    }
    if outcome.unfinished > 0 {
        println!(
            "  {} clients had not read their channel to the end after {} s",
            outcome.unfinished, args.drain_timeout
        );
    }
    println!("== Errors ==");
    report::print_errors(&tally.errors(), &tally.examples());
    let relay_errors = relay_error_answers(samples);
    println!("  error answers counted by the relay (/metrics): {relay_errors}");
    let (log_errors, log_warnings) = &outcome.log;
    println!(
        "  relay log: {} ERROR, {} WARN lines",
        log_errors.len(),
        log_warnings.len()
    );
    for line in log_errors.iter().chain(log_warnings).take(10) {
        println!("    {line}");
    }
    let stopped_cleanly = matches!(&outcome.stopped, Ok(status) if status.success());
    match &outcome.stopped {
        Ok(status) => println!("  relay stopped on SIGTERM: {status}"),
        Err(problem) => println!("  relay stop: {problem}"),
    }
    let idle_connections = samples
        .iter()
        .rev()
        .find(|s| s.phase == "idle")
        .and_then(|s| s.gauges)
        .map_or(0, |g| g.connections_open);
    let failures = [
        (d.lost > 0, "lost deliveries"),
        (d.duplicated > 0, "duplicated deliveries"),
        (d.mismatched > 0, "mismatched deliveries"),
        (tally.error_count() > 0, "errors"),
        (relay_errors > 0, "error answers counted by the relay"),
        (!log_errors.is_empty(), "ERROR lines in the relay's log"),
        (!outcome.relay_running, "the relay died"),
        (!stopped_cleanly, "the relay did not stop cleanly"),
        (
            idle_connections > 0,
            "connections still open after the clients left",
        ),
        (!growth.bounded, "memory grew beyond the limit"),
    ];
    let failed: Vec<&str> = failures.iter().filter(|f| f.0).map(|f| f.1).collect();
    println!("load average at the end {}", load_average());
    println!();
    if failed.is_empty() {
        println!("SOAK PASSED");
    } else {
        println!("SOAK FAILED: {}", failed.join(", "));
    }
    failed.is_empty()
}

/// The relay's own count of error answers at the last sample.
fn relay_error_answers(samples: &[Sample]) -> u64 {
    samples
        .iter()
        .rev()
        .find_map(|s| s.gauges)
        .map_or(0, |g| g.errors)
}

fn print_memory_summary(samples: &[Sample], growth: &Growth, limit: f64) {
    let peak = samples.iter().map(|s| s.memory.hwm_kib).max().unwrap_or(0);
    let highest = samples.iter().map(|s| s.memory.rss_kib).max().unwrap_or(0);
    let rss_of = |phase: &str| {
        samples
            .iter()
            .rev()
            .find(|s| s.phase == phase)
            .map_or(0.0, |s| mib(s.memory.rss_kib))
    };
    let last_soak = samples
        .iter()
        .rev()
        .find(|s| s.phase == "soak")
        .map_or(0.0, |s| mib(s.memory.rss_kib));
    println!(
        "  RSS: at start {:.1} MiB, after setup {:.1}, clients connected {:.1}, \
         highest sample {:.1}, last soak sample {:.1}, after drain {:.1}, idle {:.1}; peak (VmHWM) {:.1} MiB",
        rss_of("start"),
        rss_of("setup"),
        rss_of("ready"),
        mib(highest),
        last_soak,
        rss_of("drained"),
        rss_of("idle"),
        mib(peak)
    );
    let connected = samples.iter().rev().find(|s| s.phase == "ready");
    if let Some(clients) = connected.and_then(|s| s.gauges).map(|g| g.connections_open) {
        let added = rss_of("ready") - rss_of("setup");
        println!(
            "  each connected client costs the relay about {:.0} KiB at rest ({added:.1} MiB for {clients})",
            added * 1024.0 / clients.max(1) as f64
        );
    }
    let verdict = match (growth.judged, growth.bounded) {
        (false, _) => "not judged: too few samples per third".to_owned(),
        (true, true) => format!("bounded (limit {limit:.2}x)"),
        (true, false) => format!("GREW beyond the limit of {limit:.2}x"),
    };
    println!(
        "  growth: mean RSS of the last third {:.1} MiB against the middle third {:.1} MiB: \
         {:.3}x, {verdict}; slope over the last two thirds {:+.2} MiB/min",
        growth.last_mib, growth.middle_mib, growth.ratio, growth.slope_mib_per_min
    );
}

fn print_traffic(tally: &Tally, duration: f64) {
    let (p50, p99, max) = tally.ack_percentiles();
    println!("== Traffic ==");
    println!(
        "  submits written {}, accepted {} ({:.0}/s over the soak); submit to accepted p50 {p50:.1} ms, \
         p99 {p99:.1} ms, max {max:.1} ms",
        read(&tally.submitted),
        read(&tally.accepted),
        read(&tally.accepted) as f64 / duration.max(1.0),
    );
    println!(
        "  logins {}, reconnections {} ({} without a close frame), fetches {} ({} recent deliveries read again)",
        read(&tally.logins),
        read(&tally.reconnects),
        read(&tally.dropped),
        read(&tally.fetches),
        read(&tally.refetched),
    );
    println!(
        "  admin commits {} (merged by members {}), key packages published {}, claimed {}, Welcomes taken and dropped {}",
        read(&tally.commits),
        read(&tally.commits_merged),
        read(&tally.published),
        read(&tally.claimed),
        read(&tally.welcomes),
    );
}
