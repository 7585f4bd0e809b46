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

use common::{Identity, Nation, Officer, channel_policy, identity, nations};
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use liaison_core::{ChannelId, LoopbackRelay};
use openmls::prelude::{
    KeyPackage, KeyPackageIn, MlsGroup, MlsMessageBodyIn, MlsMessageIn, ProtocolVersion,
};
use openmls_basic_credential::SignatureKeyPair;
use openmls_rust_crypto::OpenMlsRustCrypto;
use openmls_traits::OpenMlsProvider as _;
use tls_codec::{Deserialize as _, Serialize as _};

/// Channel sizes, the creator included.
const SIZES: [usize; 2] = [100, 1_000];

/// Officers to add, each with a fresh certificate and key package.
struct Newcomers {
    nations: [Nation; 3],
    /// Holds the newcomers' key-package private keys; nobody joins.
    provider: OpenMlsRustCrypto,
    count: usize,
}

impl Newcomers {
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

fn decode_key_package(bytes: &[u8], provider: &OpenMlsRustCrypto) -> KeyPackage {
    let MlsMessageBodyIn::KeyPackage(package) = MlsMessageIn::tls_deserialize_exact(bytes)
        .unwrap()
        .extract()
    else {
        panic!("not a key package");
    };
    let package: KeyPackageIn = package;
    package
        .validate(provider.crypto(), ProtocolVersion::Mls10)
        .unwrap()
}

/// A channel of `size` members held by its admin's engine.
struct EngineChannel {
    admin: Officer,
    channel: ChannelId,
    seq: u64,
}

fn engine_channel(nations: &[Nation], members: &[Vec<u8>]) -> EngineChannel {
    let relay = LoopbackRelay::new();
    let mut admin = common::officer(&relay, identity(&nations[0], "gbr.admin"));
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

impl EngineChannel {
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
        .map(|bytes| decode_key_package(bytes, &provider))
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
    BareChannel {
        provider,
        signer,
        group,
    }
}

impl BareChannel {
    fn add(&mut self, package: &[u8]) {
        let package = decode_key_package(package, &self.provider);
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

fn add_one_member(c: &mut Criterion) {
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
    let mut newcomers = Newcomers {
        nations: common::nations(),
        provider: OpenMlsRustCrypto::default(),
        count: 0,
    };

    let mut group = c.benchmark_group("add_one_member");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for size in SIZES {
        let existing = &members[..size - 1];
        let mut engine = engine_channel(&nations, existing);
        group.bench_function(BenchmarkId::new("engine", size), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (officer_id, _, package) = newcomers.next();
                    let start = Instant::now();
                    engine.add(package);
                    total += start.elapsed();
                    engine.remove(&officer_id);
                }
                total
            });
        });
        drop(engine);
        let mut bare = bare_channel(&nations, existing);
        group.bench_function(BenchmarkId::new("bare_openmls", size), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (_, signature_key, package) = newcomers.next();
                    let start = Instant::now();
                    bare.add(&package);
                    total += start.elapsed();
                    bare.remove(&signature_key);
                }
                total
            });
        });
    }
    group.finish();
}

criterion_group!(benches, add_one_member);
criterion_main!(benches);
