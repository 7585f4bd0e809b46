//! The partnership the soak runs: three partner authorities, officers with
//! certificates from them, and channels built with real MLS. An admin
//! creates each channel with openmls under a real channel policy and adds
//! its members by key package in commits stamped as the rulebook requires;
//! each member joins from the Welcome with its own openmls state, so it
//! can send PrivateMessages and follow the admin's later commits.

use std::time::{Duration, SystemTime};

use liaison_core::{CertificateChain, DeviceKey};
use liaison_proto::relay::{Request, Response};
use liaison_proto::{Bytes, POLICY_EXTENSION_TYPE, Seq, Submission, SubmitOutcome};
use openmls::prelude::*;
use openmls_rust_crypto::OpenMlsRustCrypto;
use tls_codec::{Deserialize as _, Serialize as _};

use crate::common::{Nation, certificate, nation, policy};
use crate::ledger::{Ledger, content_hash};
use crate::wire::{Endpoint, Failure, Ws, call, login};

pub(crate) const SUITE: Ciphersuite = Ciphersuite::MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
/// The channel policy's only admin.
pub(crate) const ADMIN: &str = "gbr.admin";
/// Most members per channel: all are added by one commit, which stays well
/// under the relay's 512 KiB limit on handshake messages.
pub(crate) const MAX_CHANNEL_SIZE: usize = 100;
/// How long the officers' certificates last: longer than any soak.
const CERTIFICATE_LIFETIME: Duration = Duration::from_secs(7 * 86_400);

/// The three partner authorities every channel trusts.
pub(crate) struct Nations(pub Vec<Nation>);

impl Nations {
    pub(crate) fn new() -> Self {
        Self(["GBR", "FRA", "DEU"].into_iter().map(nation).collect())
    }

    /// The nation of the `i`th officer: the three in turn.
    pub(crate) fn of(&self, i: usize) -> &Nation {
        &self.0[i % self.0.len()]
    }

    pub(crate) fn by_code(&self, code: &str) -> &Nation {
        self.0
            .iter()
            .find(|n| n.code.to_string() == code)
            .expect("one of the three nations")
    }
}

/// An officer: id, certificate chain and device key.
pub(crate) struct Officer {
    pub(crate) id: String,
    pub(crate) chain: CertificateChain,
    pub(crate) key: DeviceKey,
}

impl Officer {
    pub(crate) fn new(nation: &Nation, id: String) -> Self {
        let key = DeviceKey::generate().expect("a device key");
        let now = SystemTime::now();
        let chain = certificate(
            nation,
            &id,
            &key,
            now - Duration::from_secs(60),
            now + CERTIFICATE_LIFETIME,
        );
        Self { id, chain, key }
    }

    pub(crate) fn credential(&self) -> CredentialWithKey {
        CredentialWithKey {
            credential: self.chain.to_mls_credential(),
            signature_key: self.key.public_key().to_vec().into(),
        }
    }

    /// A fresh one-time key package, its private keys kept in `provider`.
    pub(crate) fn key_package(&self, provider: &OpenMlsRustCrypto) -> KeyPackage {
        KeyPackage::builder()
            .leaf_node_capabilities(capabilities())
            .build(
                SUITE,
                provider,
                &self.key.to_openmls_signer(),
                self.credential(),
            )
            .expect("a key package")
            .key_package()
            .clone()
    }

    /// A fresh key package as the directory takes it (an MLS message).
    pub(crate) fn published_key_package(&self, provider: &OpenMlsRustCrypto) -> Vec<u8> {
        serialise(&MlsMessageOut::from(self.key_package(provider)))
    }
}

/// The capabilities every Liaison leaf advertises.
pub(crate) fn capabilities() -> Capabilities {
    Capabilities::builder()
        .extensions(vec![
            ExtensionType::Unknown(POLICY_EXTENSION_TYPE),
            ExtensionType::LastResort,
        ])
        .credentials(vec![CredentialType::X509])
        .build()
}

pub(crate) fn serialise(message: &MlsMessageOut) -> Vec<u8> {
    message.tls_serialize_detached().expect("an MLS message")
}

/// The commit stamp every commit carries as its authenticated data.
pub(crate) fn stamp() -> Vec<u8> {
    liaison_rules::stamp_at(SystemTime::now()).encode()
}

/// One member of a channel, as a client holds it between sessions.
pub(crate) struct Member {
    pub(crate) officer: Officer,
    pub(crate) provider: OpenMlsRustCrypto,
    pub(crate) group: MlsGroup,
    pub(crate) channel: usize,
    pub(crate) group_id: Vec<u8>,
    /// The last sequence number read in the channel.
    pub(crate) cursor: Seq,
}

/// The admin and its view of every channel.
pub(crate) struct Admin {
    pub(crate) officer: Officer,
    pub(crate) provider: OpenMlsRustCrypto,
    pub(crate) groups: Vec<MlsGroup>,
}

/// Everything built before the clock starts.
pub(crate) struct World {
    pub(crate) admin: Admin,
    pub(crate) members: Vec<Member>,
}

/// Officers of a channel before they join: key packages made by each one's
/// own openmls state.
struct Invitee {
    officer: Officer,
    provider: OpenMlsRustCrypto,
    key_package: KeyPackage,
}

/// Builds channels of `size` members at the relay until `clients` members
/// are placed (the last channel may be smaller).
pub(crate) async fn build(
    endpoint: &Endpoint,
    nations: &Nations,
    ledger: &Ledger,
    clients: usize,
    size: usize,
) -> Result<World, Failure> {
    let officer = Officer::new(nations.by_code("GBR"), ADMIN.to_owned());
    let mut ws = login(endpoint, &officer.chain, &officer.key).await?;
    let mut admin = Admin {
        officer,
        provider: OpenMlsRustCrypto::default(),
        groups: Vec::new(),
    };
    let mut next_id = 1;
    let mut members = Vec::with_capacity(clients);
    let numbers: Vec<usize> = (0..clients).collect();
    for (channel, chunk) in numbers.chunks(size).enumerate() {
        let invitees: Vec<Invitee> = chunk.iter().map(|&i| invitee(nations, i)).collect();
        let built = build_channel(
            &mut ws,
            &mut next_id,
            &mut admin,
            nations,
            ledger,
            channel,
            invitees,
        )
        .await?;
        members.extend(built);
    }
    let _ = ws.close(None).await;
    Ok(World { admin, members })
}

fn invitee(nations: &Nations, i: usize) -> Invitee {
    let nation = nations.of(i);
    let id = format!("{}.officer{i:04}", nation.code.to_string().to_lowercase());
    let officer = Officer::new(nation, id);
    let provider = OpenMlsRustCrypto::default();
    let key_package = officer.key_package(&provider);
    Invitee {
        officer,
        provider,
        key_package,
    }
}

/// The MLS configuration of a new channel carrying the policy.
fn create_config(nations: &Nations) -> MlsGroupCreateConfig {
    let all: Vec<&Nation> = nations.0.iter().collect();
    let policy = policy(&[ADMIN], &all).encode();
    let extensions = Extensions::from_vec(vec![
        Extension::RequiredCapabilities(RequiredCapabilitiesExtension::new(
            &[ExtensionType::Unknown(POLICY_EXTENSION_TYPE)],
            &[],
            &[CredentialType::X509],
        )),
        Extension::Unknown(POLICY_EXTENSION_TYPE, UnknownExtension(policy)),
    ])
    .expect("group context extensions");
    MlsGroupCreateConfig::builder()
        .ciphersuite(SUITE)
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .capabilities(capabilities())
        .with_group_context_extensions(extensions)
        .build()
}

pub(crate) fn join_config() -> MlsGroupJoinConfig {
    MlsGroupJoinConfig::builder()
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .build()
}

/// Creates one channel, adds the invitees and has each join from the
/// Welcome (handed over in-process: the setup is not what is measured).
async fn build_channel(
    ws: &mut Ws,
    next_id: &mut u64,
    admin: &mut Admin,
    nations: &Nations,
    ledger: &Ledger,
    channel: usize,
    invitees: Vec<Invitee>,
) -> Result<Vec<Member>, Failure> {
    let signer = admin.officer.key.to_openmls_signer();
    let mut group_id = vec![0u8; 16];
    getrandom::fill(&mut group_id).expect("randomness");
    let mut group = MlsGroup::new_with_group_id(
        &admin.provider,
        &signer,
        &create_config(nations),
        GroupId::from_slice(&group_id),
        admin.officer.credential(),
    )
    .expect("a new group");
    let info = group
        .export_group_info(admin.provider.crypto(), &signer, true)
        .expect("a GroupInfo");
    let create = Request::CreateGroup {
        group_id: Bytes(group_id.clone()),
        group_info: Bytes(serialise(&info)),
    };
    *next_id += 1;
    call(ws, *next_id, create, "create_group").await?;

    // One commit adds everyone, so that every member joins from its Welcome
    // at the same epoch (the size is capped at MAX_CHANNEL_SIZE for that).
    let packages: Vec<KeyPackage> = invitees.iter().map(|i| i.key_package.clone()).collect();
    group.set_aad(stamp());
    let (commit, welcome, _) = group
        .add_members(&admin.provider, &signer, &packages)
        .expect("an add commit");
    let message = serialise(&commit);
    let hash = content_hash(&message);
    let last_seq = submit_commit(ws, next_id, &group_id, message, None).await?;
    ledger.record(channel, last_seq, hash);
    group
        .merge_pending_commit(&admin.provider)
        .expect("merge of an accepted commit");
    admin.groups.push(group);
    let welcome = serialise(&welcome);
    Ok(invitees
        .into_iter()
        .map(|invitee| join(invitee, &welcome, channel, &group_id, last_seq))
        .collect())
}

/// Submits a commit (and its Welcome) and returns its sequence number.
pub(crate) async fn submit_commit(
    ws: &mut Ws,
    next_id: &mut u64,
    group_id: &[u8],
    message: Vec<u8>,
    welcome: Option<Vec<u8>>,
) -> Result<Seq, Failure> {
    let submit = Request::Submit(Submission {
        group_id: group_id.to_vec(),
        message,
        welcome,
    });
    *next_id += 1;
    match call(ws, *next_id, submit, "submit commit").await? {
        Response::Submitted {
            outcome: SubmitOutcome::Accepted { seq },
        } => Ok(seq),
        other => Err(Failure::Unexpected(format!("commit answered {other:?}"))),
    }
}

/// An invitee joins from the Welcome of its last add commit; it has read
/// the channel up to that commit.
fn join(invitee: Invitee, welcome: &[u8], channel: usize, group_id: &[u8], seq: Seq) -> Member {
    let MlsMessageBodyIn::Welcome(welcome) = MlsMessageIn::tls_deserialize_exact(welcome)
        .expect("a Welcome message")
        .extract()
    else {
        panic!("not a Welcome");
    };
    let group = StagedWelcome::new_from_welcome(&invitee.provider, &join_config(), welcome, None)
        .expect("a valid Welcome")
        .into_group(&invitee.provider)
        .expect("a joined group");
    Member {
        officer: invitee.officer,
        provider: invitee.provider,
        group,
        channel,
        group_id: group_id.to_vec(),
        cursor: seq,
    }
}
