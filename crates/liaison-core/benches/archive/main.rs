//! Archive and search benchmarks (`docs/performance.md`, "Archive and
//! search"):
//!
//! - `search/…`: full-text search over 1,000,000 messages in a SQLCipher
//!   store (built once, cached under `target/release/liaison-archive-bench/`),
//!   and a latency report of p50 and p95 over a mix of queries (goal: p95
//!   under 20 ms);
//! - `archive/…`: export and import throughput, messages per second, on a
//!   channel of 20,000 really signed messages (import verifies each);
//! - `insert/…`: inserting messages (with the full-text index) into
//!   SQLCipher and into plain SQLite with the same settings and schema, in
//!   the same run (goal: SQLCipher at most 1.3x plain).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod corpus;

use std::hint::black_box;
use std::time::{Duration, Instant};

use corpus::{
    EXPORT_CHANNEL, EXPORT_MESSAGES, LEVELS, Rng, body, corpus, id, identity, label, nation,
    now_ms, policy, precedence, unsigned, vocabulary,
};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use liaison_core::danger::{self, BulkMessage};
use liaison_core::{
    ArchiveProtection, ChannelId, Engine, EngineError, ExportRequest, ImportRequest, InitialTrust,
    KdfParams, Passphrase, Precedence, SearchOrder, SearchQuery,
};
use rusqlite::Connection;

/// One query of the latency mix.
struct Probe {
    class: &'static str,
    query: SearchQuery,
}

fn probes(engine: &Engine) -> Vec<Probe> {
    let words = vocabulary(20_000);
    let channels = engine.channels().unwrap();
    let channel = channels
        .iter()
        .find(|c| c.name == "Search cell 1")
        .unwrap()
        .id
        .clone();
    let now = now_ms();
    let mut out = Vec::new();
    let mut add = |class, query: SearchQuery| out.push(Probe { class, query });
    for w in [1, 2, 5, 9, 14, 20, 30] {
        add("common word", SearchQuery::new(&words[w]).unwrap());
    }
    for w in [200, 800, 2_000, 5_000, 9_000, 14_000, 19_000] {
        add("rarer word", SearchQuery::new(&words[w]).unwrap());
    }
    for (a, b) in [(1, 3), (2, 40), (5, 300), (60, 900), (3, 4_000)] {
        add(
            "two words",
            SearchQuery::new(&format!("{} {}", words[a], words[b])).unwrap(),
        );
    }
    for w in [1, 3, 150, 2_500, 12_000] {
        let stem: String = words[w].chars().take(4).collect();
        add("prefix", SearchQuery::new(&format!("{stem}*")).unwrap());
    }
    for w in [2, 7, 600] {
        add(
            "word + channel",
            SearchQuery::new(&words[w])
                .unwrap()
                .with_channel(channel.clone()),
        );
        add(
            "word + sender",
            SearchQuery::new(&words[w])
                .unwrap()
                .with_sender("fra.martin"),
        );
        add(
            "word + classification",
            SearchQuery::new(&words[w])
                .unwrap()
                .with_classification("NATO SECRET"),
        );
        add(
            "word + precedence",
            SearchQuery::new(&words[w])
                .unwrap()
                .with_precedence(Precedence::Flash),
        );
        add(
            "word + last 30 days",
            SearchQuery::new(&words[w])
                .unwrap()
                .with_sent_between(Some(now - 30 * 86_400_000), None)
                .unwrap(),
        );
    }
    add(
        "filters only",
        SearchQuery::new("")
            .unwrap()
            .with_precedence(Precedence::Flash)
            .with_sender("deu.weber"),
    );
    add(
        "filters only",
        SearchQuery::new("")
            .unwrap()
            .with_channel(channel)
            .with_classification("NATO CONFIDENTIAL"),
    );
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank]
}

/// Runs every probe `rounds` times in both orders and prints p50 and p95,
/// overall and per class of query.
fn latency_report(engine: &Engine, rounds: usize) {
    let probes = probes(engine);
    for order in [SearchOrder::Relevance, SearchOrder::Recency] {
        let mut all = Vec::new();
        let mut by_class: Vec<(&str, Vec<Duration>, usize)> = Vec::new();
        for probe in &probes {
            let query = probe.query.clone().with_order(order);
            let hits = engine.search(&query).unwrap().hits.len();
            let mut times = Vec::with_capacity(rounds);
            for _ in 0..rounds {
                let started = Instant::now();
                black_box(engine.search(&query).unwrap());
                times.push(started.elapsed());
            }
            all.extend_from_slice(&times);
            match by_class.iter_mut().find(|(c, _, _)| *c == probe.class) {
                Some((_, t, n)) => {
                    t.extend(times);
                    *n += hits;
                }
                None => by_class.push((probe.class, times, hits)),
            }
        }
        all.sort();
        println!(
            "search latency, {order:?} order, limit 50, {} queries x {rounds}: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            probes.len(),
            ms(percentile(&all, 0.50)),
            ms(percentile(&all, 0.95)),
            ms(*all.last().unwrap()),
        );
        for (class, mut times, _) in by_class {
            times.sort();
            println!(
                "  {class:<24} p50 {:>7.2} ms  p95 {:>7.2} ms",
                ms(percentile(&times, 0.50)),
                ms(percentile(&times, 0.95)),
            );
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

/// Whether the command line's filter (if any) may select benchmarks of
/// `group`: the setup of a group (the 1M corpus) is skipped otherwise.
fn wanted(group: &str) -> bool {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    filter.is_none_or(|f| f.starts_with(group) || group.starts_with(f.as_str()))
}

fn search(c: &mut Criterion) {
    if !wanted("search") {
        return;
    }
    let engine = corpus();
    latency_report(&engine, 20);
    let words = vocabulary(20_000);
    let mut group = c.benchmark_group("search");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    let cases = [
        ("common_word", SearchQuery::new(&words[2]).unwrap()),
        ("rare_word", SearchQuery::new(&words[9_000]).unwrap()),
        (
            "two_words",
            SearchQuery::new(&format!("{} {}", words[2], words[300])).unwrap(),
        ),
        ("prefix", SearchQuery::new("conv*").unwrap()),
        (
            "word_and_classification",
            SearchQuery::new(&words[7])
                .unwrap()
                .with_classification("NATO SECRET"),
        ),
    ];
    for (name, query) in cases {
        for order in [SearchOrder::Relevance, SearchOrder::Recency] {
            let query = query.clone().with_order(order);
            group.bench_function(format!("{name}/{order:?}"), |b| {
                b.iter(|| black_box(engine.search(&query).unwrap()))
            });
        }
    }
    group.finish();
}

fn cheap_passphrase() -> ArchiveProtection {
    ArchiveProtection::Passphrase {
        passphrase: Passphrase::new("benchmark passphrase".into()),
        // The key derivation is a fixed cost per file, measured apart.
        params: KdfParams::new(1024, 1, 1).unwrap(),
    }
}

fn export_import(c: &mut Criterion) {
    if !wanted("archive") {
        return;
    }
    let engine = corpus();
    let export = engine
        .channels()
        .unwrap()
        .into_iter()
        .find(|c| c.name == EXPORT_CHANNEL)
        .unwrap()
        .id;
    let policy = engine.stored_policy(&export).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.archive");
    let request = |path: &std::path::Path| ExportRequest {
        channel: export.clone(),
        from_ms: None,
        to_ms: None,
        path: path.to_owned(),
        protection: cheap_passphrase(),
    };
    let default_kdf = {
        let started = Instant::now();
        let protection = ArchiveProtection::Passphrase {
            passphrase: Passphrase::new("x".into()),
            params: KdfParams::default(),
        };
        let mut r = request(&dir.path().join("kdf.archive"));
        r.protection = protection;
        r.to_ms = Some(0);
        engine.export_archive(&r, &mut |_| {}).unwrap();
        started.elapsed()
    };
    println!(
        "archive key derivation with the default Argon2id costs (64 MiB, 3 passes): {:.0} ms per file",
        ms(default_kdf)
    );
    engine.export_archive(&request(&path), &mut |_| {}).unwrap();

    let mut group = c.benchmark_group("archive");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Elements(EXPORT_MESSAGES as u64));
    group.bench_function("export", |b| {
        let out = dir.path().join("again.archive");
        b.iter(|| engine.export_archive(&request(&out), &mut |_| {}).unwrap())
    });
    group.bench_function("import_verified", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let (mut importer, _dir) = importer(&policy);
                let started = Instant::now();
                let report = importer
                    .import_archive(
                        &ImportRequest {
                            path: path.clone(),
                            passphrase: Some(Passphrase::new("benchmark passphrase".into())),
                        },
                        &mut |_| {},
                    )
                    .unwrap();
                total += started.elapsed();
                assert_eq!(report.verified, EXPORT_MESSAGES as u64);
            }
            total
        })
    });
    group.finish();
}

/// A fresh profile that knows the corpus's authorities (through a channel
/// with the exported channel's policy).
fn importer(policy: &liaison_core::ChannelPolicy) -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = danger::create_with_raw_key(dir.path().join("importer.db"), &[7; 32]).unwrap();
    let who = identity(&nation("FRA"), "fra.reader");
    let engine = Engine::create_profile(
        store,
        corpus::registry(),
        "fra.reader",
        who.chain,
        who.device,
        &InitialTrust::onboarding(Vec::new()),
    )
    .unwrap();
    danger::insert_bulk_channel(
        engine.store().connection(),
        &ChannelId(vec![1; 16]),
        policy,
        now_ms(),
    )
    .unwrap();
    (engine, dir)
}

/// Messages to insert, with fresh ids on every call.
struct Feed {
    rng: Rng,
    words: Vec<String>,
    sender: corpus::Identity,
    labels: Vec<liaison_core::Label>,
    next: u64,
}

impl Feed {
    fn new() -> Self {
        Self {
            rng: Rng::new(99),
            words: vocabulary(20_000),
            sender: identity(&nation("GBR"), "gbr.feed"),
            labels: LEVELS.iter().map(|m| label(m)).collect(),
            next: 0,
        }
    }

    fn batch(&mut self, n: usize) -> Vec<BulkMessage> {
        (0..n)
            .map(|_| {
                self.next += 1;
                let label = &self.labels[self.rng.skewed(self.labels.len())];
                unsigned(
                    id(&mut self.rng, 0, self.next),
                    &self.sender,
                    label,
                    precedence(&mut self.rng),
                    body(&mut self.rng, &self.words),
                    now_ms(),
                )
            })
            .collect()
    }
}

fn insert(c: &mut Criterion) {
    if !wanted("insert") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let nations = [nation("GBR"), nation("FRA"), nation("DEU")];
    let policy = policy(
        "Insert cell",
        "gbr.feed",
        &[&nations[0], &nations[1], &nations[2]],
    );
    let channel = ChannelId(vec![3; 16]);
    let cipher = danger::create_with_raw_key(dir.path().join("cipher.db"), &[9; 32]).unwrap();
    let plain = danger::open_plain_database(dir.path().join("plain.db")).unwrap();
    danger::insert_bulk_channel(cipher.connection(), &channel, &policy, now_ms()).unwrap();
    danger::insert_bulk_channel(&plain, &channel, &policy, now_ms()).unwrap();
    let mut feed = Feed::new();
    // Both start from the same 50,000 messages, so neither measures an
    // empty database.
    for _ in 0..5 {
        let batch = feed.batch(10_000);
        cipher
            .transaction(|s| danger::insert_bulk_messages(s.connection(), &channel, &batch))
            .unwrap();
        plain.execute_batch("BEGIN IMMEDIATE").unwrap();
        danger::insert_bulk_messages(&plain, &channel, &batch).unwrap();
        plain.execute_batch("COMMIT").unwrap();
    }
    const BATCH: usize = 1_000;
    const SINGLE: usize = 20;
    let mut group = c.benchmark_group("insert");
    group
        .sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("batch_1000/sqlcipher", |b| {
        b.iter_batched(
            || feed.batch(BATCH),
            |batch| {
                cipher
                    .transaction(|s| danger::insert_bulk_messages(s.connection(), &channel, &batch))
                    .unwrap()
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.bench_function("batch_1000/plain", |b| {
        b.iter_batched(
            || feed.batch(BATCH),
            |batch| {
                plain.execute_batch("BEGIN IMMEDIATE").unwrap();
                danger::insert_bulk_messages(&plain, &channel, &batch).unwrap();
                plain.execute_batch("COMMIT").unwrap();
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.throughput(Throughput::Elements(SINGLE as u64));
    // `one_transaction_each` indexes every message at its commit;
    // `one_transaction_each_queued` is what a live message costs on the
    // receive path: one transaction, the row and its full-text queue entry,
    // the index taking it at the next search (the batches above include
    // that folding).
    type Insert = fn(&Connection, &ChannelId, &[BulkMessage]) -> Result<u64, EngineError>;
    let paths: [(&str, Insert); 2] = [
        ("one_transaction_each", danger::insert_bulk_messages),
        ("one_transaction_each_queued", danger::queue_bulk_messages),
    ];
    for (name, insert) in paths {
        group.bench_function(format!("{name}/sqlcipher"), |b| {
            b.iter_batched(
                || feed.batch(SINGLE),
                |batch| {
                    for message in &batch {
                        cipher
                            .transaction(|s| {
                                insert(s.connection(), &channel, std::slice::from_ref(message))
                            })
                            .unwrap();
                    }
                },
                criterion::BatchSize::PerIteration,
            )
        });
        group.bench_function(format!("{name}/plain"), |b| {
            b.iter_batched(
                || feed.batch(SINGLE),
                |batch| {
                    for message in &batch {
                        plain.execute_batch("BEGIN IMMEDIATE").unwrap();
                        insert(&plain, &channel, std::slice::from_ref(message)).unwrap();
                        plain.execute_batch("COMMIT").unwrap();
                    }
                },
                criterion::BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, insert, search, export_import);
criterion_main!(benches);
