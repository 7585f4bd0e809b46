//! Labelled messages through the engine against bare openmls.
//!
//! Each iteration moves a backlog of [`BATCH`] messages from one officer to
//! another. The engine sends them with `send_batch` (rules, envelope
//! signature, MLS encryption, our copy and the outbox row; one transaction
//! for the batch, a savepoint per message), flushes them to a loopback
//! relay (the acceptances in one transaction) and the receiver drains them
//! with `pull` (one transaction for the batch, a savepoint per message).
//! The `_send_each` variants send each message with `send`, in its own
//! durable transaction, as an officer sending one message does. Bare openmls with its in-memory provider
//! does the same MLS work on the same plaintext and authenticated data:
//! encrypt, serialise, deserialise, decrypt. `docs/performance.md` reports
//! the results.
//!
//! The `stages` group times each engine step alone, next to the two halves
//! of bare openmls; the `diagnostic` group shows what the remaining fsyncs
//! cost (the engine ships with `synchronous = FULL`, on purpose).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::paired::{self, Side};
use common::{BODY, Identity, Officer, channel_policy, identity, nations, run};
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
};
use liaison_core::{
    CIPHERSUITE, ChannelId, DeliveryService as _, Draft, LoopbackRelay, flush_outbox, join_pending,
    pull,
};
use openmls::prelude::{
    KeyPackage, MlsGroup, MlsMessageBodyIn, MlsMessageIn, ProcessedMessageContent, StagedWelcome,
};
use openmls_basic_credential::SignatureKeyPair;
use openmls_rust_crypto::OpenMlsRustCrypto;
use openmls_traits::OpenMlsProvider as _;
use tls_codec::{Deserialize as _, Serialize as _};

/// Messages per iteration: a backlog drained in one `pull`.
const BATCH: usize = 100;

/// How the engines' databases commit. The engine ships with FULL; OFF is a
/// diagnostic that removes the fsync from every transaction.
#[derive(Clone, Copy)]
enum Durability {
    Full,
    Off,
}

/// Two officers of a two-member channel, each on its own SQLCipher file.
struct EnginePair {
    sender: Officer,
    receiver: Officer,
    channel: ChannelId,
}

fn engine_pair(durability: Durability) -> EnginePair {
    let relay = LoopbackRelay::new();
    let nations = nations();
    let mut sender = common::officer(&relay, identity(&nations[0], "gbr.admin"), &nations);
    let mut receiver = common::officer(&relay, identity(&nations[1], "fra.officer"), &nations);
    let packages = receiver.engine.generate_key_packages(1, true).unwrap();
    run(receiver.relay.publish_key_packages(packages)).unwrap();
    let channel = sender
        .engine
        .create_channel(channel_policy("gbr.admin", &nations))
        .unwrap();
    let package = run(sender.relay.claim_key_package("fra.officer")).unwrap();
    sender.engine.add_members(&channel, &[package]).unwrap();
    run(flush_outbox(&mut sender.engine, &sender.relay)).unwrap();
    let joined = run(join_pending(&mut receiver.engine, &receiver.relay)).unwrap();
    assert_eq!(joined.joined, std::slice::from_ref(&channel));
    run(pull(&mut receiver.engine, &receiver.relay, &channel)).unwrap();
    if let Durability::Off = durability {
        for officer in [&sender, &receiver] {
            officer
                .engine
                .store()
                .connection()
                .pragma_update(None, "synchronous", "OFF")
                .unwrap();
        }
    }
    EnginePair {
        sender,
        receiver,
        channel,
    }
}

// The steps stay out of line (`inline(never)`) so that profiles of the
// benchmark attribute time to each of them.
impl EnginePair {
    /// The backlog, sent in one batch.
    #[inline(never)]
    fn send(&mut self) {
        let drafts = vec![Draft::text(BODY); BATCH];
        let results = self
            .sender
            .engine
            .send_batch(&self.channel, drafts)
            .unwrap();
        assert!(results.iter().all(Result::is_ok));
    }

    /// The backlog, one durable transaction per message.
    #[inline(never)]
    fn send_each(&mut self) {
        for _ in 0..BATCH {
            self.sender
                .engine
                .send(&self.channel, Draft::text(BODY))
                .unwrap();
        }
    }

    #[inline(never)]
    fn flush(&mut self) {
        let stale = run(flush_outbox(&mut self.sender.engine, &self.sender.relay)).unwrap();
        assert_eq!(stale, 0);
    }

    #[inline(never)]
    fn receive(&mut self) {
        let report = run(pull(
            &mut self.receiver.engine,
            &self.receiver.relay,
            &self.channel,
        ))
        .unwrap();
        assert_eq!((report.applied, report.refused), (BATCH, 0));
    }
}

/// Two bare openmls members of a two-member group, in-memory providers,
/// the engine's ciphersuite and group configuration.
struct BarePair {
    sender_provider: OpenMlsRustCrypto,
    sender_signer: SignatureKeyPair,
    sender: MlsGroup,
    receiver_provider: OpenMlsRustCrypto,
    receiver: MlsGroup,
    /// The engine's plaintext for a message of [`BODY`]: envelope and its
    /// signature.
    payload: Vec<u8>,
    /// The engine's authenticated data: the label binding.
    aad: Vec<u8>,
}

fn bare_pair() -> BarePair {
    let nations = nations();
    let alice: Identity = identity(&nations[0], "gbr.admin");
    let bob: Identity = identity(&nations[1], "fra.officer");
    let policy = channel_policy("gbr.admin", &nations);
    let sender_provider = OpenMlsRustCrypto::default();
    let receiver_provider = OpenMlsRustCrypto::default();
    let sender_signer = alice.signer();
    let mut sender = MlsGroup::new(
        &sender_provider,
        &sender_signer,
        &common::create_config(&policy),
        alice.credential(),
    )
    .unwrap();
    let bundle = KeyPackage::builder()
        .leaf_node_capabilities(common::capabilities())
        .build(
            CIPHERSUITE,
            &receiver_provider,
            &bob.signer(),
            bob.credential(),
        )
        .unwrap();
    let commit = sender
        .commit_builder()
        .propose_adds([bundle.key_package().clone()])
        .load_psks(sender_provider.storage())
        .unwrap()
        .build(
            sender_provider.rand(),
            sender_provider.crypto(),
            &sender_signer,
            |_| true,
        )
        .unwrap()
        .stage_commit(&sender_provider)
        .unwrap();
    sender.merge_pending_commit(&sender_provider).unwrap();
    let welcome = commit
        .to_welcome_msg()
        .unwrap()
        .tls_serialize_detached()
        .unwrap();
    let MlsMessageBodyIn::Welcome(welcome) =
        MlsMessageIn::tls_deserialize_exact(welcome.as_slice())
            .unwrap()
            .extract()
    else {
        panic!("not a Welcome");
    };
    let receiver =
        StagedWelcome::new_from_welcome(&receiver_provider, &common::join_config(), welcome, None)
            .unwrap()
            .into_group(&receiver_provider)
            .unwrap();

    let (payload, aad) = common::message_payload(&alice.device);
    BarePair {
        sender_provider,
        sender_signer,
        sender,
        receiver_provider,
        receiver,
        payload,
        aad,
    }
}

// The steps stay out of line (`inline(never)`) so that profiles of the
// benchmark attribute time to each of them.
impl BarePair {
    #[inline(never)]
    fn encrypt(&mut self) -> Vec<Vec<u8>> {
        (0..BATCH)
            .map(|_| {
                self.sender.set_aad(self.aad.clone());
                self.sender
                    .create_message(&self.sender_provider, &self.sender_signer, &self.payload)
                    .unwrap()
                    .tls_serialize_detached()
                    .unwrap()
            })
            .collect()
    }

    #[inline(never)]
    fn decrypt(&mut self, messages: &[Vec<u8>]) {
        for bytes in messages {
            let protocol = MlsMessageIn::tls_deserialize_exact(bytes.as_slice())
                .unwrap()
                .try_into_protocol_message()
                .unwrap();
            let processed = self
                .receiver
                .process_message(&self.receiver_provider, protocol)
                .unwrap();
            let ProcessedMessageContent::ApplicationMessage(message) = processed.into_content()
            else {
                panic!("not an application message");
            };
            black_box(message.into_bytes());
        }
    }
}

/// Times `timed` over `iters` iterations, running `before` and `after`
/// (untimed) around each.
fn timed<S>(
    state: &mut S,
    iters: u64,
    mut before: impl FnMut(&mut S),
    mut timed: impl FnMut(&mut S),
    mut after: impl FnMut(&mut S),
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        before(state);
        let start = Instant::now();
        timed(state);
        total += start.elapsed();
        after(state);
    }
    total
}

fn configure<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .throughput(Throughput::Elements(BATCH as u64))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group
}

/// Send, relay and receive, end to end: the comparison.
fn round_trip(c: &mut Criterion) {
    let mut group = configure(c, "round_trip");
    let mut engine = engine_pair(Durability::Full);
    group.bench_function("engine", |b| {
        b.iter_custom(|iters| {
            timed(
                &mut engine,
                iters,
                |_| {},
                |p| {
                    p.send();
                    p.flush();
                    p.receive();
                },
                |_| {},
            )
        });
    });
    group.bench_function("engine_send_each", |b| {
        b.iter_custom(|iters| {
            timed(
                &mut engine,
                iters,
                |_| {},
                |p| {
                    p.send_each();
                    p.flush();
                    p.receive();
                },
                |_| {},
            )
        });
    });
    let mut bare = bare_pair();
    group.bench_function("bare_openmls", |b| {
        b.iter(|| {
            let messages = bare.encrypt();
            bare.decrypt(&messages);
        });
    });
    group.finish();
}

/// Each engine step alone, against the bare openmls half it contains.
fn stages(c: &mut Criterion) {
    let mut group = configure(c, "stages");
    let mut engine = engine_pair(Durability::Full);
    group.bench_function("engine_send", |b| {
        b.iter_custom(|iters| {
            timed(
                &mut engine,
                iters,
                |_| {},
                EnginePair::send,
                |p| {
                    p.flush();
                    p.receive();
                },
            )
        });
    });
    group.bench_function("engine_send_each", |b| {
        b.iter_custom(|iters| {
            timed(
                &mut engine,
                iters,
                |_| {},
                EnginePair::send_each,
                |p| {
                    p.flush();
                    p.receive();
                },
            )
        });
    });
    group.bench_function("engine_flush", |b| {
        b.iter_custom(|iters| {
            timed(
                &mut engine,
                iters,
                EnginePair::send,
                EnginePair::flush,
                EnginePair::receive,
            )
        });
    });
    group.bench_function("engine_receive", |b| {
        b.iter_custom(|iters| {
            timed(
                &mut engine,
                iters,
                |p| {
                    p.send();
                    p.flush();
                },
                EnginePair::receive,
                |_| {},
            )
        });
    });
    let mut bare = bare_pair();
    group.bench_function("bare_encrypt", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let messages = bare.encrypt();
                total += start.elapsed();
                bare.decrypt(&messages);
            }
            total
        });
    });
    group.bench_function("bare_decrypt", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let messages = bare.encrypt();
                let start = Instant::now();
                bare.decrypt(&messages);
                total += start.elapsed();
            }
            total
        });
    });
    group.finish();
}

/// Where the engine's time goes. `sync_off`: the steps again with
/// `PRAGMA synchronous = OFF`, so the difference is the fsync at each
/// commit (one per batch and step here).
fn diagnostic(c: &mut Criterion) {
    let mut group = configure(c, "diagnostic");
    let mut engine = engine_pair(Durability::Off);
    group.bench_function(BenchmarkId::new("sync_off", "round_trip"), |b| {
        b.iter_custom(|iters| {
            timed(
                &mut engine,
                iters,
                |_| {},
                |p| {
                    p.send();
                    p.flush();
                    p.receive();
                },
                |_| {},
            )
        });
    });
    group.bench_function(BenchmarkId::new("sync_off", "send"), |b| {
        b.iter_custom(|iters| {
            timed(
                &mut engine,
                iters,
                |_| {},
                EnginePair::send,
                |p| {
                    p.flush();
                    p.receive();
                },
            )
        });
    });
    group.bench_function(BenchmarkId::new("sync_off", "flush"), |b| {
        b.iter_custom(|iters| {
            timed(
                &mut engine,
                iters,
                EnginePair::send,
                EnginePair::flush,
                EnginePair::receive,
            )
        });
    });
    group.bench_function(BenchmarkId::new("sync_off", "receive"), |b| {
        b.iter_custom(|iters| {
            timed(
                &mut engine,
                iters,
                |p| {
                    p.send();
                    p.flush();
                },
                EnginePair::receive,
                |_| {},
            )
        });
    });
    group.finish();
}

/// The round trip with engine and bare openmls alternating (see
/// `common/paired.rs`): `cargo bench -p liaison-core --bench messaging --
/// --paired [rounds]`.
fn paired(rounds: usize) {
    let mut engine = engine_pair(Durability::Full);
    let mut bare = bare_pair();
    let (mut engine_side, mut bare_side) = (Side::default(), Side::default());
    for round in 0..rounds + paired::WARM_UP {
        let engine_round = paired::measure(|| {
            engine.send();
            engine.flush();
            engine.receive();
        });
        let bare_round = paired::measure(|| {
            let messages = bare.encrypt();
            bare.decrypt(&messages);
        });
        if round >= paired::WARM_UP {
            engine_side.record(engine_round);
            bare_side.record(bare_round);
        }
    }
    let per = u32::try_from(BATCH).unwrap();
    paired::report(
        "round trip per message, sent in batches",
        per,
        &engine_side,
        &bare_side,
    );
}

criterion_group!(benches, round_trip, stages, diagnostic);

fn main() {
    if let Some(rounds) = paired::requested() {
        paired(rounds);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
