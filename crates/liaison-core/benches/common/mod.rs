//! What both benchmarks share: nations and officers with real certificates,
//! engines on SQLCipher files, and the bare openmls setup the engine is
//! compared against (same ciphersuite, group configuration and credentials).

// Each benchmark binary compiles this module and uses part of it.
#![allow(dead_code)]

pub(crate) mod paired;

use std::future::Future;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use liaison_core::{
    CIPHERSUITE, CertificateChain, ChannelPolicy, DeviceKey, Engine, InitialTrust, Label,
    LoopbackConnection, LoopbackRelay, MAX_PAST_EPOCHS, PADDING_SIZE, POLICY_EXTENSION_TYPE,
    Precedence, TrafficKind, Validity, danger,
};
use liaison_proto::{Envelope, MessageId, Payload};
use liaison_rules::test_utils::{self, anchors, clearance};
use openmls::prelude::{
    Capabilities, CredentialType, CredentialWithKey, Extension, ExtensionType, Extensions,
    GroupContext, KeyPackage, MIXED_PLAINTEXT_WIRE_FORMAT_POLICY, MlsGroupCreateConfig,
    MlsGroupJoinConfig, MlsMessageOut, RequiredCapabilitiesExtension, UnknownExtension,
};
use openmls_basic_credential::SignatureKeyPair;
use openmls_rust_crypto::OpenMlsRustCrypto;
use tempfile::TempDir;
use tls_codec::Serialize as _;

/// The channel ceiling: members need NATO SECRET and one of the three nations.
pub(crate) const CEILING: &str = "NATO SECRET//REL TO DEU, FRA, GBR";
/// The label of every benchmarked message (the channel default).
pub(crate) const DEFAULT_LABEL: &str = "NATO RESTRICTED//REL TO DEU, FRA, GBR";
/// A message body of a typical length for a liaison message.
pub(crate) const BODY: &str = "Convoy of 12 vehicles crosses checkpoint BRAVO at 0400Z; \
    request FRA engineers at the bridge by 0330Z and DEU MPs on the northern route. \
    Acknowledge by 2200Z.";

pub(crate) use liaison_rules::test_utils::{Nation, registry};

/// Drives a loopback future: they never wait, so one current-thread runtime
/// serves the whole run.
pub(crate) fn run<F: Future>(future: F) -> F::Output {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime")
        })
        .block_on(future)
}

/// A partner authority, valid from now for a year.
pub(crate) fn nation(code: &str) -> Nation {
    Nation::new(
        code,
        Validity::starting_now(Duration::from_secs(365 * 86_400)).unwrap(),
    )
}

/// The three partner nations of every benchmarked channel.
pub(crate) fn nations() -> [Nation; 3] {
    [nation("GBR"), nation("FRA"), nation("DEU")]
}

/// An officer's certificate chain and device key.
pub(crate) struct Identity {
    pub(crate) id: String,
    pub(crate) chain: CertificateChain,
    pub(crate) device: DeviceKey,
}

/// Issues a NATO SECRET officer certificate for a fresh device key.
pub(crate) fn identity(nation: &Nation, id: &str) -> Identity {
    let device = DeviceKey::generate().unwrap();
    let now = SystemTime::now();
    let chain = nation.certify(
        id,
        clearance("NATO SECRET"),
        &device,
        now,
        now + Duration::from_secs(30 * 86_400),
    );
    Identity {
        id: id.to_owned(),
        chain,
        device,
    }
}

impl Identity {
    pub(crate) fn credential(&self) -> CredentialWithKey {
        CredentialWithKey {
            credential: self.chain.to_mls_credential(),
            signature_key: self.device.public_key().to_vec().into(),
        }
    }

    pub(crate) fn signer(&self) -> SignatureKeyPair {
        self.device.to_openmls_signer()
    }

    /// A key package as the engine builds them (same capabilities), built
    /// with bare openmls, serialised as published in the directory. Its
    /// private keys stay in `provider`: nobody joins from it.
    pub(crate) fn key_package(&self, provider: &OpenMlsRustCrypto) -> Vec<u8> {
        let bundle = KeyPackage::builder()
            .leaf_node_capabilities(capabilities())
            .build(CIPHERSUITE, provider, &self.signer(), self.credential())
            .unwrap();
        MlsMessageOut::from(bundle.key_package().clone())
            .tls_serialize_detached()
            .unwrap()
    }
}

/// What the engine encrypts for a message of [`BODY`] with the default
/// label: the plaintext (envelope and its signature by `device`) and the
/// authenticated data (the label binding). Bare openmls encrypts the same
/// bytes, so both sides handle messages of the same size.
pub(crate) fn message_payload(device: &DeviceKey) -> (Vec<u8>, Vec<u8>) {
    let label = Label::parse_marking(DEFAULT_LABEL, &registry()).unwrap();
    let envelope = Envelope {
        message_id: MessageId([7; 16]),
        label: label.to_bytes(),
        precedence: Precedence::Routine,
        kind: TrafficKind::Operation,
        body: BODY.to_owned(),
        reference: None,
        sent_at_ms: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis()
            .try_into()
            .unwrap(),
        context: None,
    };
    let encoded = envelope.encode();
    let signature = device.sign(&Envelope::signing_input(&encoded));
    let aad = envelope.binding().encode();
    let payload = Payload::Message {
        envelope: encoded,
        signature,
    }
    .encode();
    (payload, aad)
}

/// An engine on its own SQLCipher file (in the default temporary directory,
/// a real disk here: `TMPDIR` moves it).
pub(crate) struct Officer {
    pub(crate) engine: Engine,
    pub(crate) relay: LoopbackConnection,
    _dir: TempDir,
}

/// An officer of the partnership of `partners`, which it pins at onboarding.
pub(crate) fn officer(relay: &LoopbackRelay, identity: Identity, partners: &[Nation]) -> Officer {
    let dir = tempfile::tempdir().unwrap();
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).unwrap();
    let store = danger::create_with_raw_key(dir.path().join("profile.db"), &key).unwrap();
    let trust = InitialTrust::onboarding(
        partners
            .iter()
            .map(|n| n.authority.certificate_der().to_vec())
            .collect(),
    );
    let engine = Engine::create_profile(
        store,
        registry(),
        &identity.id,
        identity.chain,
        identity.device,
        &trust,
    )
    .unwrap();
    Officer {
        engine,
        relay: relay.connect(&identity.id),
        _dir: dir,
    }
}

/// The channel policy: ceiling NATO SECRET releasable to the three nations,
/// `admin` its only admin, the three authorities its anchors.
pub(crate) fn channel_policy(admin: &str, nations: &[Nation]) -> ChannelPolicy {
    let nations: Vec<&Nation> = nations.iter().collect();
    test_utils::channel_policy(
        "Benchmark cell",
        CEILING,
        DEFAULT_LABEL,
        &[admin],
        anchors(&nations),
    )
}

/// The leaf capabilities the engine advertises (its own are crate-private):
/// X.509 credentials and the policy extension.
pub(crate) fn capabilities() -> Capabilities {
    Capabilities::builder()
        .extensions(vec![
            ExtensionType::Unknown(POLICY_EXTENSION_TYPE),
            ExtensionType::LastResort,
        ])
        .credentials(vec![CredentialType::X509])
        .build()
}

/// The engine's group configuration, for the bare openmls groups: same
/// wire-format policy, ratchet-tree extension, past epochs, padding and
/// group-context extensions (the encoded channel policy).
pub(crate) fn create_config(policy: &ChannelPolicy) -> MlsGroupCreateConfig {
    let required = RequiredCapabilitiesExtension::new(
        &[ExtensionType::Unknown(POLICY_EXTENSION_TYPE)],
        &[],
        &[CredentialType::X509],
    );
    let extensions: Extensions<GroupContext> = Extensions::from_vec(vec![
        Extension::RequiredCapabilities(required),
        Extension::Unknown(POLICY_EXTENSION_TYPE, UnknownExtension(policy.encode())),
    ])
    .unwrap();
    MlsGroupCreateConfig::builder()
        .ciphersuite(CIPHERSUITE)
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .max_past_epochs(MAX_PAST_EPOCHS)
        .padding_size(PADDING_SIZE)
        .capabilities(capabilities())
        .with_group_context_extensions(extensions)
        .build()
}

/// The engine's join configuration, for the bare openmls groups.
pub(crate) fn join_config() -> MlsGroupJoinConfig {
    MlsGroupJoinConfig::builder()
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .max_past_epochs(MAX_PAST_EPOCHS)
        .padding_size(PADDING_SIZE)
        .build()
}
