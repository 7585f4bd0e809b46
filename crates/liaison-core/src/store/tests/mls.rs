//! openmls state stored through [`StoreCodec`] survives closing and reopening
//! the database file.

use openmls::prelude::{tls_codec::*, *};
use openmls_basic_credential::SignatureKeyPair;
use openmls_sqlite_storage::Codec;

use super::{KEY, new_store, scratch};
use crate::store::{Store, StoreCodec, danger};

const CIPHERSUITE: Ciphersuite = Ciphersuite::MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

/// A signer stored in `store` and the credential that goes with it.
pub(super) struct Member {
    pub(super) signer: SignatureKeyPair,
    pub(super) credential: CredentialWithKey,
}

pub(super) fn member(store: &Store, name: &str) -> Member {
    let provider = store.mls_provider();
    let signer = SignatureKeyPair::new(CIPHERSUITE.signature_algorithm()).unwrap();
    signer.store(provider.storage()).unwrap();
    let credential = CredentialWithKey {
        credential: BasicCredential::new(name.as_bytes().to_vec()).into(),
        signature_key: signer.to_public_vec().into(),
    };
    Member { signer, credential }
}

pub(super) fn new_group(store: &Store, owner: &Member) -> MlsGroup {
    MlsGroup::builder()
        .ciphersuite(CIPHERSUITE)
        .use_ratchet_tree_extension(true)
        .build(
            &store.mls_provider(),
            &owner.signer,
            owner.credential.clone(),
        )
        .unwrap()
}

pub(super) fn load_group(store: &Store, group_id: &GroupId) -> Option<MlsGroup> {
    MlsGroup::load(&store.mls_storage(), group_id).unwrap()
}

fn reopen(store: Store) -> Store {
    let path = store.path().to_owned();
    store.close().unwrap();
    danger::open_with_raw_key(path, &KEY).unwrap()
}

fn to_message_in(message: &MlsMessageOut) -> MlsMessageIn {
    MlsMessageIn::tls_deserialize_exact(message.to_bytes().unwrap()).unwrap()
}

#[test]
fn two_member_group_survives_reopening_both_stores() {
    let (_a_dir, alice_store) = new_store();
    let (_b_dir, b_path) = scratch();
    let bob_store = danger::create_with_raw_key(&b_path, &KEY).unwrap();

    let alice = member(&alice_store, "alice");
    let mut alice_group = new_group(&alice_store, &alice);
    let group_id = alice_group.group_id().clone();

    let bob = member(&bob_store, "bob");
    let bob_key_package = KeyPackage::builder()
        .build(
            CIPHERSUITE,
            &bob_store.mls_provider(),
            &bob.signer,
            bob.credential.clone(),
        )
        .unwrap();
    let (_commit, welcome, _info) = alice_group
        .add_members(
            &alice_store.mls_provider(),
            &alice.signer,
            &[bob_key_package.key_package().clone()],
        )
        .unwrap();
    alice_group
        .merge_pending_commit(&alice_store.mls_provider())
        .unwrap();
    let alice_public_key = alice.signer.to_public_vec();
    drop((alice_group, alice, bob_key_package));

    // Bob joins from a reopened store: his key package's private keys come
    // back through the codec.
    let bob_store = reopen(bob_store);
    let MlsMessageBodyIn::Welcome(welcome) = to_message_in(&welcome).extract() else {
        panic!("not a welcome");
    };
    let join_config = MlsGroupJoinConfig::builder()
        .use_ratchet_tree_extension(true)
        .build();
    {
        let provider = bob_store.mls_provider();
        StagedWelcome::new_from_welcome(&provider, &join_config, welcome, None)
            .unwrap()
            .into_group(&provider)
            .unwrap();
    }

    // Alice reloads her group and her signer from a reopened store.
    let alice_store = reopen(alice_store);
    let mut alice_group = load_group(&alice_store, &group_id).unwrap();
    let alice_signer = SignatureKeyPair::read(
        &alice_store.mls_storage(),
        &alice_public_key,
        CIPHERSUITE.signature_algorithm(),
    )
    .unwrap();
    assert_eq!(alice_group.epoch(), GroupEpoch::from(1));
    assert_eq!(alice_group.members().count(), 2);

    let message = alice_group
        .create_message(
            &alice_store.mls_provider(),
            &alice_signer,
            b"over the border",
        )
        .unwrap();

    let bob_store = reopen(bob_store);
    let mut bob_group = load_group(&bob_store, &group_id).unwrap();
    let protocol_message = to_message_in(&message).try_into_protocol_message().unwrap();
    let processed = bob_group
        .process_message(&bob_store.mls_provider(), protocol_message)
        .unwrap();
    let ProcessedMessageContent::ApplicationMessage(plaintext) = processed.into_content() else {
        panic!("not an application message");
    };
    assert_eq!(plaintext.into_bytes(), b"over the border");

    let secret = |group: &MlsGroup, store: &Store| {
        group
            .export_secret(store.mls_provider().crypto(), "test", b"", 32)
            .unwrap()
    };
    assert_eq!(
        secret(&alice_group, &alice_store),
        secret(&bob_group, &bob_store)
    );
}

#[test]
fn pending_proposals_survive_reopening() {
    let (_dir, store) = new_store();
    let owner = member(&store, "alice");
    let mut group = new_group(&store, &owner);
    group
        .propose_self_update(
            &store.mls_provider(),
            &owner.signer,
            LeafNodeParameters::default(),
        )
        .unwrap();
    let group_id = group.group_id().clone();
    drop(group);

    let store = reopen(store);
    let group = load_group(&store, &group_id).unwrap();
    assert_eq!(group.pending_proposals().count(), 1);
}

#[test]
fn unknown_group_loads_as_none() {
    let (_dir, store) = new_store();
    assert!(load_group(&store, &GroupId::from_slice(b"no such group")).is_none());
}

#[test]
fn codec_writes_field_names_and_round_trips() {
    let group_id = GroupId::from_slice(b"partnership");
    let bytes = StoreCodec::to_vec(&group_id).unwrap();
    assert!(bytes.windows(5).any(|w| w == b"value"), "named fields");
    let back: GroupId = StoreCodec::from_slice(&bytes).unwrap();
    assert_eq!(back, group_id);
    assert_eq!(StoreCodec::to_vec(&back).unwrap(), bytes, "deterministic");
}

#[test]
fn codec_refuses_garbage_without_quoting_it() {
    let result: Result<GroupId, _> = StoreCodec::from_slice(b"\xa6secret");
    let error = result.unwrap_err();
    assert!(!error.to_string().contains("secret"));
    assert!(!format!("{error:?}").contains("secret"));
}
