//! Catch-up: a member who was offline while [`MESSAGES`] labelled messages
//! were sent in its channel comes back and pulls them.
//!
//! Three officers (GBR admin, FRA and DEU members) share a channel on a
//! relay on 127.0.0.1 (development certificate, SQLite on the real disk),
//! each with a liaison-core `Engine` on its own SQLCipher file and a
//! `RelayClient`. While the members are away the admin sends the messages
//! (alternating the channel's default label and its ceiling) and flushes
//! them to the relay. Then, on fresh connections:
//!
//! - `fetch only`: the raw protocol client reads the whole backlog (1,000
//!   per `fetch`, the relay's most), then `RelayClient::fetch` does the
//!   same in the 256-message batches `pull` uses: transport and relay;
//! - `stages`: the DEU engine runs pull's loop by hand, timing the fetch
//!   and `Engine::receive_batch` (decrypt, envelope signature, label
//!   rules, SQLCipher persist, one transaction per batch) apart;
//! - `pull`: the FRA engine runs `liaison_core::pull`, end to end.
//!
//! `docs/performance.md` reports the results; run with
//! `cargo bench -p liaison-relay --bench catchup`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use liaison_core::{
    ChannelId, DeliveryService as _, Draft, RelayClient, RelayClientConfig, RelayTrust,
    commit_with_retry, flush_outbox, pull, sync,
};

/// Messages sent while the members are offline.
const MESSAGES: usize = 10_000;
/// Messages the admin sends between two flushes to the relay.
const FLUSH_EVERY: usize = 500;
/// What `pull` fetches per round trip (liaison-core's `PULL_BATCH`).
const PULL_BATCH: usize = 256;
/// Rounds of each fetch-only measurement.
const FETCH_ROUNDS: usize = 5;

async fn client(relay: &TestRelay, officer: &Officer) -> RelayClient {
    let config = RelayClientConfig::new(
        relay.endpoint.url(),
        RelayTrust::from_pem_file(&relay.endpoint.certificate).unwrap(),
    );
    RelayClient::connect(config, officer.chain.clone(), officer.key())
        .await
        .unwrap()
}

/// A message of a few lines, as officers write them.
fn body(i: usize) -> String {
    format!(
        "SITREP {i:05}: patrol Bravo reports the crossing at grid 32U NV 1234 5678 clear; \
         two vehicles held at the northern checkpoint pending documents; liaison \
         with the border police continues; next report at 0600Z. No casualties."
    )
}

/// The median round, and the first (the relay's page cache still cold).
fn rounds_line(what: &str, rounds: &mut [Duration]) {
    let first = rounds[0];
    rounds.sort_unstable();
    line(what, MESSAGES, rounds[rounds.len() / 2]);
    println!(
        "{:<44} first round {:.2} s ({:.0} msgs/s), median of {FETCH_ROUNDS} above",
        "",
        first.as_secs_f64(),
        rate(MESSAGES, first)
    );
}

fn rate(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64().max(f64::EPSILON)
}

fn line(what: &str, count: usize, elapsed: Duration) {
    println!(
        "{what:<44} {count:>6} msgs {:>8.2} s {:>9.0} msgs/s",
        elapsed.as_secs_f64(),
        rate(count, elapsed)
    );
}

async fn bench() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let dir = tempfile::tempdir().unwrap();
    let mut limits = limits();
    // The admin's flush measures the relay, not the request rate limit.
    limits.requests_per_second = 1_000_000;
    limits.request_burst = 1_000_000;
    let relay = start_relay(dir.path(), anchors(&[&gbr, &fra, &deu]), limits).await;
    let setup = Instant::now();
    let mut admin = officer(&gbr, "gbr.admin");
    let mut fr = officer(&fra, "fra.officer");
    let mut de = officer(&deu, "deu.officer");
    let a = client(&relay, &admin).await;
    let channel = {
        let f = client(&relay, &fr).await;
        let d = client(&relay, &de).await;
        f.publish_key_packages(fr.engine.generate_key_packages(2, true).unwrap())
            .await
            .unwrap();
        d.publish_key_packages(de.engine.generate_key_packages(2, true).unwrap())
            .await
            .unwrap();
        let channel = admin
            .engine
            .create_channel(policy(&["gbr.admin"], &[&gbr, &fra, &deu]))
            .unwrap();
        flush_outbox(&mut admin.engine, &a).await.unwrap();
        let packages = vec![
            a.claim_key_package("fra.officer").await.unwrap(),
            a.claim_key_package("deu.officer").await.unwrap(),
        ];
        commit_with_retry(&mut admin.engine, &a, &channel, 3, |engine| {
            engine.add_members(&channel, &packages)
        })
        .await
        .unwrap();
        sync(&mut fr.engine, &f).await.unwrap();
        sync(&mut de.engine, &d).await.unwrap();
        channel
    };
    // The members are offline now. The sender's own durability is not
    // measured: its store skips the fsync to keep the setup short.
    admin
        .engine
        .store()
        .connection()
        .pragma_update(None, "synchronous", "OFF")
        .unwrap();
    let ceiling = label(CEILING);
    for i in 0..MESSAGES {
        let label = (i % 2 == 1).then(|| ceiling.clone());
        admin
            .engine
            .send(
                &channel,
                Draft {
                    label,
                    ..Draft::text(body(i))
                },
            )
            .unwrap();
        if (i + 1) % FLUSH_EVERY == 0 {
            flush_outbox(&mut admin.engine, &a).await.unwrap();
        }
    }
    flush_outbox(&mut admin.engine, &a).await.unwrap();
    println!(
        "setup: {MESSAGES} messages sent and ordered in {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    let start = fr.engine.cursor(&channel).unwrap();
    assert_eq!(start, de.engine.cursor(&channel).unwrap());

    // Transport and relay alone, a few rounds each (the median counts).
    let mut raw = RawClient::login(&relay, &fr).await;
    let sample = raw.fetch(&channel.0, start).await;
    let bytes: usize = sample.iter().map(|d| d.message.len()).sum();
    println!(
        "messages average {} bytes of MLS ciphertext",
        bytes / sample.len().max(1)
    );
    let mut rounds = Vec::new();
    for _ in 0..FETCH_ROUNDS {
        let timer = Instant::now();
        let (mut after, mut fetched) = (start, 0);
        loop {
            let batch = raw.fetch(&channel.0, after).await;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            fetched += batch.len();
        }
        rounds.push(timer.elapsed());
        assert_eq!(fetched, MESSAGES);
    }
    rounds_line("fetch only, raw protocol (1,000 per fetch)", &mut rounds);
    let f = client(&relay, &fr).await;
    let mut rounds = Vec::new();
    for _ in 0..FETCH_ROUNDS {
        let timer = Instant::now();
        let (mut after, mut fetched) = (start, 0);
        loop {
            let batch = f.fetch(&channel.0, after, PULL_BATCH).await.unwrap();
            let Some(last) = batch.last() else { break };
            after = last.seq;
            fetched += batch.len();
        }
        rounds.push(timer.elapsed());
        assert_eq!(fetched, MESSAGES);
    }
    rounds_line("fetch only, RelayClient (256 per fetch)", &mut rounds);
    // Pull's loop by hand, its two stages timed apart.
    let d = client(&relay, &de).await;
    let (mut fetching, mut processing, mut processed) = (Duration::ZERO, Duration::ZERO, 0);
    loop {
        let cursor = de.engine.cursor(&channel).unwrap();
        let timer = Instant::now();
        let batch = d.fetch(&channel.0, cursor, PULL_BATCH).await.unwrap();
        fetching += timer.elapsed();
        if batch.is_empty() {
            break;
        }
        let timer = Instant::now();
        let results = de.engine.receive_batch(&batch);
        processing += timer.elapsed();
        processed += results.into_iter().filter(Result::is_ok).count();
    }
    assert_eq!(processed, MESSAGES);
    line("stages: fetch (RelayClient, 256)", processed, fetching);
    line("stages: Engine::receive_batch", processed, processing);

    // End to end.
    let timer = Instant::now();
    let report = pull(&mut fr.engine, &f, &channel).await.unwrap();
    let elapsed = timer.elapsed();
    assert_eq!(report.applied, MESSAGES, "{report:?}");
    line("pull, end to end (fetch + engine)", report.applied, elapsed);
    check_history(&fr, &channel);
    relay.stop().await;
}

/// The caught-up history holds every message with its label.
fn check_history(officer: &Officer, channel: &ChannelId) {
    let messages = officer.engine.messages(channel).unwrap();
    assert_eq!(messages.len(), MESSAGES);
    assert_eq!(messages[1].label, label(CEILING));
    assert_eq!(messages[MESSAGES - 1].body, body(MESSAGES - 1));
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("Catch-up of {MESSAGES} labelled messages, {cores} cores");
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(bench());
}
