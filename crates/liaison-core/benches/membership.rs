//! Adding one member to channels of 100 and 1,000 members, the engine
//! against bare openmls.
//!
//! Each channel is built once per size (one commit adding everyone). An
//! iteration adds a fresh officer, whose certificate and key package are
//! made outside the timing: the engine verifies the key package and its
//! certificate chain, checks admission, commits, and merges when the relay
//! accepts (`add_members` then `outbox_accepted`); bare openmls with its
//! in-memory provider validates the key package, builds, stages and
//! serialises the same commit and Welcome and merges it. The newcomer is
//! then removed, untimed, so the channel keeps its size.
//! `docs/performance.md` reports the results.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use common::paired::{self, Side};
use common::{BODY, Identity, Nation, Officer, channel_policy, identity, nations};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, criterion_group};
use liaison_core::{ChannelId, Draft, LoopbackRelay};
use liaison_rules::test_utils::key_package;
use openmls::prelude::MlsGroup;
use openmls_basic_credential::SignatureKeyPair;
use openmls_rust_crypto::OpenMlsRustCrypto;
use openmls_traits::OpenMlsProvider as _;
use tls_codec::Serialize as _;

/// Channel sizes, the creator included.
const SIZES: [usize; 2] = [100, 1_000];

/// Officers to add, each with a fresh certificate and key package.
struct Newcomers<'a> {
    /// The channel's authorities (its trust anchors).
    nations: &'a [Nation],
    /// Holds the newcomers' key-package private keys; nobody joins.
    provider: OpenMlsRustCrypto,
    count: usize,
}

impl Newcomers<'_> {
    /// The next newcomer: officer id, signature key and key package bytes.
    fn next(&mut self) -> (String, Vec<u8>, Vec<u8>) {
        self.count += 1;
        let nation = &self.nations[self.count % self.nations.len()];
        let newcomer = identity(nation, &format!("newcomer.{}", self.count));
        let package = newcomer.key_package(&self.provider);
        let key = newcomer.device.public_key().to_vec();
        (newcomer.id, key, package)
    }
}

/// A channel of `size` members held by its admin's engine.
struct EngineChannel {
    admin: Officer,
    channel: ChannelId,
    seq: u64,
}

fn engine_channel(nations: &[Nation], members: &[Vec<u8>]) -> EngineChannel {
    let relay = LoopbackRelay::new();
    let mut admin = common::officer(&relay, identity(&nations[0], "gbr.admin"), nations);
    let channel = admin
        .engine
        .create_channel(channel_policy("gbr.admin", nations))
        .unwrap();
    let outbox_id = admin.engine.add_members(&channel, members).unwrap();
    admin.engine.outbox_accepted(outbox_id, 1).unwrap();
    assert_eq!(
        admin.engine.members(&channel).unwrap().len(),
        members.len() + 1
    );
    EngineChannel {
        admin,
        channel,
        seq: 1,
    }
}

// The steps stay out of line (`inline(never)`) so that profiles of the
// benchmark attribute time to each of them.
impl EngineChannel {
    #[inline(never)]
    fn add(&mut self, package: Vec<u8>) {
        let outbox_id = self
            .admin
            .engine
            .add_members(&self.channel, &[package])
            .unwrap();
        self.seq += 1;
        self.admin
            .engine
            .outbox_accepted(outbox_id, self.seq)
            .unwrap();
    }

    #[inline(never)]
    fn send(&mut self) {
        self.admin
            .engine
            .send(&self.channel, Draft::text(BODY))
            .unwrap();
    }

    /// Records every queued message as ordered by the relay.
    fn accept_outbox(&mut self) {
        for outgoing in self.admin.engine.outbox().unwrap() {
            self.seq += 1;
            self.admin
                .engine
                .outbox_accepted(outgoing.outbox_id, self.seq)
                .unwrap();
        }
    }

    #[inline(never)]
    fn remove(&mut self, officer_id: &str) {
        let outbox_id = self
            .admin
            .engine
            .remove_members(&self.channel, &[officer_id])
            .unwrap();
        self.seq += 1;
        self.admin
            .engine
            .outbox_accepted(outbox_id, self.seq)
            .unwrap();
    }
}

/// The same channel as a bare openmls group on the in-memory provider.
struct BareChannel {
    provider: OpenMlsRustCrypto,
    signer: SignatureKeyPair,
    group: MlsGroup,
    /// The engine's plaintext and authenticated data for one message.
    payload: Vec<u8>,
    aad: Vec<u8>,
}

fn bare_channel(nations: &[Nation], members: &[Vec<u8>]) -> BareChannel {
    let admin: Identity = identity(&nations[0], "gbr.admin");
    let provider = OpenMlsRustCrypto::default();
    let signer = admin.signer();
    let mut group = MlsGroup::new(
        &provider,
        &signer,
        &common::create_config(&channel_policy("gbr.admin", nations)),
        admin.credential(),
    )
    .unwrap();
    let packages: Vec<_> = members
        .iter()
        .map(|bytes| key_package(bytes, &provider))
        .collect();
    group
        .commit_builder()
        .propose_adds(packages)
        .load_psks(provider.storage())
        .unwrap()
        .build(provider.rand(), provider.crypto(), &signer, |_| true)
        .unwrap()
        .stage_commit(&provider)
        .unwrap();
    group.merge_pending_commit(&provider).unwrap();
    assert_eq!(group.members().count(), members.len() + 1);
    let (payload, aad) = common::message_payload(&admin.device);
    BareChannel {
        provider,
        signer,
        group,
        payload,
        aad,
    }
}

// The steps stay out of line (`inline(never)`) so that profiles of the
// benchmark attribute time to each of them.
impl BareChannel {
    #[inline(never)]
    fn add(&mut self, package: &[u8]) {
        let package = key_package(package, &self.provider);
        let bundle = self
            .group
            .commit_builder()
            .propose_adds([package])
            .load_psks(self.provider.storage())
            .unwrap()
            .build(
                self.provider.rand(),
                self.provider.crypto(),
                &self.signer,
                |_| true,
            )
            .unwrap()
            .stage_commit(&self.provider)
            .unwrap();
        black_box(bundle.commit().tls_serialize_detached().unwrap());
        black_box(
            bundle
                .to_welcome_msg()
                .unwrap()
                .tls_serialize_detached()
                .unwrap(),
        );
        self.group.merge_pending_commit(&self.provider).unwrap();
    }

    #[inline(never)]
    fn send(&mut self) -> Vec<u8> {
        self.group.set_aad(self.aad.clone());
        self.group
            .create_message(&self.provider, &self.signer, &self.payload)
            .unwrap()
            .tls_serialize_detached()
            .unwrap()
    }

    #[inline(never)]
    fn remove(&mut self, signature_key: &[u8]) {
        let leaf = self
            .group
            .members()
            .find(|m| m.signature_key == signature_key)
            .unwrap()
            .index;
        self.group
            .remove_members(&self.provider, &self.signer, &[leaf])
            .unwrap();
        self.group.merge_pending_commit(&self.provider).unwrap();
    }
}

/// A channel of one size, held once by an engine and once by bare openmls.
struct Channels {
    size: usize,
    engine: EngineChannel,
    bare: BareChannel,
}

fn membership(c: &mut Criterion) {
    let nations = nations();
    let largest = SIZES.iter().max().copied().unwrap_or(0);
    // Every existing member is a distinct officer with its own device key:
    // MLS refuses two leaves with the same signature key.
    let package_provider = OpenMlsRustCrypto::default();
    let members: Vec<Vec<u8>> = (1..largest)
        .map(|i| {
            let nation = &nations[i % nations.len()];
            identity(nation, &format!("member.{i}")).key_package(&package_provider)
        })
        .collect();
    let mut channels: Vec<Channels> = SIZES
        .iter()
        .map(|&size| Channels {
            size,
            engine: engine_channel(&nations, &members[..size - 1]),
            bare: bare_channel(&nations, &members[..size - 1]),
        })
        .collect();
    let mut newcomers = Newcomers {
        nations: &nations,
        provider: OpenMlsRustCrypto::default(),
        count: 0,
    };

    let mut group = c.benchmark_group("add_one_member");
    configure(&mut group);
    for channel in &mut channels {
        group.bench_function(BenchmarkId::new("engine", channel.size), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (officer_id, _, package) = newcomers.next();
                    let start = Instant::now();
                    channel.engine.add(package);
                    total += start.elapsed();
                    channel.engine.remove(&officer_id);
                }
                total
            });
        });
        group.bench_function(BenchmarkId::new("bare_openmls", channel.size), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (_, signature_key, package) = newcomers.next();
                    let start = Instant::now();
                    channel.bare.add(&package);
                    total += start.elapsed();
                    channel.bare.remove(&signature_key);
                }
                total
            });
        });
    }
    group.finish();

    // Not a goal of the issue, but what channel size does to every message:
    // openmls rewrites its past-epoch secrets, which hold every member's
    // credential for each kept epoch, at each encryption.
    let mut group = c.benchmark_group("send_one_message");
    configure(&mut group);
    for channel in &mut channels {
        group.bench_function(BenchmarkId::new("engine", channel.size), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    channel.engine.send();
                    total += start.elapsed();
                    channel.engine.accept_outbox();
                }
                total
            });
        });
        group.bench_function(BenchmarkId::new("bare_openmls", channel.size), |b| {
            b.iter(|| channel.bare.send());
        });
    }
    group.finish();

    // Diagnostic: the same adds with `PRAGMA synchronous = OFF` on the
    // engine's store (the engine ships with FULL), so the difference is
    // what the two disk syncs of an add (the commit queued, then merged)
    // and the checkpoints cost.
    let mut group = c.benchmark_group("add_one_member_diagnostic");
    configure(&mut group);
    for channel in &mut channels {
        channel
            .engine
            .admin
            .engine
            .store()
            .connection()
            .pragma_update(None, "synchronous", "OFF")
            .unwrap();
        group.bench_function(BenchmarkId::new("engine_sync_off", channel.size), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (officer_id, _, package) = newcomers.next();
                    let start = Instant::now();
                    channel.engine.add(package);
                    total += start.elapsed();
                    channel.engine.remove(&officer_id);
                }
                total
            });
        });
    }
    group.finish();
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
}

/// Adds with engine and bare openmls alternating (see `common/paired.rs`):
/// `cargo bench -p liaison-core --bench membership -- --paired [rounds]`.
fn paired(rounds: usize) {
    let nations = nations();
    let package_provider = OpenMlsRustCrypto::default();
    let mut newcomers = Newcomers {
        nations: &nations,
        provider: OpenMlsRustCrypto::default(),
        count: 0,
    };
    let largest = SIZES.iter().max().copied().unwrap_or(0);
    let members: Vec<Vec<u8>> = (1..largest)
        .map(|i| {
            let nation = &nations[i % nations.len()];
            identity(nation, &format!("member.{i}")).key_package(&package_provider)
        })
        .collect();
    for size in SIZES {
        let mut engine = engine_channel(&nations, &members[..size - 1]);
        let mut bare = bare_channel(&nations, &members[..size - 1]);
        let (mut engine_side, mut bare_side) = (Side::default(), Side::default());
        for round in 0..rounds + paired::WARM_UP {
            let (officer_id, _, package) = newcomers.next();
            let engine_round = paired::measure(|| engine.add(package));
            engine.remove(&officer_id);
            let (_, signature_key, package) = newcomers.next();
            let bare_round = paired::measure(|| bare.add(&package));
            bare.remove(&signature_key);
            if round >= paired::WARM_UP {
                engine_side.record(engine_round);
                bare_side.record(bare_round);
            }
        }
        paired::report(
            &format!("add one member to {size}"),
            1,
            &engine_side,
            &bare_side,
        );
    }
}

criterion_group!(benches, membership);

fn main() {
    if let Some(rounds) = paired::requested() {
        paired(rounds);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
