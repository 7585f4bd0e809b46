//! Hostile messages: what a client that skips its own checks would send,
//! built with openmls directly. One builder for every test of a refusal:
//! the engine's (a member refuses on receipt), the relay's (it refuses to
//! order) and the end-to-end parity of the two.

use openmls::prelude::{
    CredentialWithKey, GroupId, LeafNodeIndex, LeafNodeParameters, MlsGroup, MlsMessageOut,
    NewSignerBundle,
};
use openmls_rust_crypto::OpenMlsRustCrypto;
use openmls_traits::OpenMlsProvider;
use openmls_traits::signatures::Signer;
use tls_codec::Serialize as _;

use crate::channel::group_context_extensions;
use crate::engine::{ChannelId, Engine};
pub use liaison_identity::test_utils::key_package;
use liaison_identity::{CertificateChain, DeviceKey};

/// What a hostile message does.
#[derive(Debug)]
pub enum Hostile<'a> {
    /// A commit adding the officer of this key package (with its Welcome).
    Add(&'a [u8]),
    /// A commit removing this leaf.
    Remove(LeafNodeIndex),
    /// A commit updating the sender's own leaf to this certificate chain
    /// and device key.
    UpdateTo(&'a CertificateChain, &'a DeviceKey),
    /// A commit updating the sender's own leaf and nothing else.
    Empty,
    /// A commit changing the channel policy to these canonical bytes.
    Policy(Vec<u8>),
    /// A proposal, sent on its own, to add the officer of this key package.
    ProposeAdd(&'a [u8]),
    /// A proposal, sent on its own, to remove this leaf.
    ProposeRemove(LeafNodeIndex),
    /// An application message carrying these bytes (a payload).
    Application(Vec<u8>),
}

/// A hostile message, serialised: the message and, for an add, its Welcome.
#[derive(Debug, Clone)]
pub struct Crafted {
    /// The MLS message (commit, proposal or application message).
    pub message: Vec<u8>,
    /// The Welcome of an add.
    pub welcome: Option<Vec<u8>>,
}

fn serialise(message: &MlsMessageOut) -> Vec<u8> {
    message.tls_serialize_detached().unwrap()
}

/// Builds `what` on `group` as `signer`, with `aad` as its authenticated
/// data. A commit stays pending in `group` (and a proposal in its store),
/// as openmls leaves them, for the caller to merge or clear.
pub fn craft<P: OpenMlsProvider>(
    group: &mut MlsGroup,
    provider: &P,
    signer: &impl Signer,
    what: Hostile<'_>,
    aad: Vec<u8>,
) -> Crafted {
    group.set_aad(aad);
    let only = |message: MlsMessageOut| Crafted {
        message: serialise(&message),
        welcome: None,
    };
    match what {
        Hostile::Add(package) => {
            let package = key_package(package, provider);
            let (commit, welcome, _) = group.add_members(provider, signer, &[package]).unwrap();
            Crafted {
                message: serialise(&commit),
                welcome: Some(serialise(&welcome)),
            }
        }
        Hostile::Remove(leaf) => only(group.remove_members(provider, signer, &[leaf]).unwrap().0),
        Hostile::UpdateTo(chain, key) => {
            let new_signer = key.to_openmls_signer();
            let bundle = group
                .self_update_with_new_signer(
                    provider,
                    signer,
                    NewSignerBundle {
                        signer: &new_signer,
                        credential_with_key: CredentialWithKey {
                            credential: chain.to_mls_credential(),
                            signature_key: key.public_key().to_vec().into(),
                        },
                    },
                    LeafNodeParameters::default(),
                )
                .unwrap();
            only(bundle.into_messages().0)
        }
        Hostile::Empty => only(
            group
                .self_update(provider, signer, LeafNodeParameters::default())
                .unwrap()
                .into_messages()
                .0,
        ),
        Hostile::Policy(policy) => only(
            group
                .commit_builder()
                .propose_group_context_extensions(group_context_extensions(policy).unwrap())
                .unwrap()
                .load_psks(provider.storage())
                .unwrap()
                .build(provider.rand(), provider.crypto(), signer, |_| true)
                .unwrap()
                .stage_commit(provider)
                .unwrap()
                .commit()
                .clone(),
        ),
        Hostile::ProposeAdd(package) => {
            let package = key_package(package, provider);
            only(
                group
                    .propose_add_member(provider, signer, &package)
                    .unwrap()
                    .0,
            )
        }
        Hostile::ProposeRemove(leaf) => only(
            group
                .propose_remove_member(provider, signer, leaf)
                .unwrap()
                .0,
        ),
        Hostile::Application(payload) => {
            only(group.create_message(provider, signer, &payload).unwrap())
        }
    }
}

/// Builds `what` as the officer of `engine` (device key `key`) from its
/// stored state of `channel`, on an in-memory provider: the engine's store
/// is not touched.
pub fn craft_from_store(
    engine: &Engine,
    channel: &ChannelId,
    key: &DeviceKey,
    what: Hostile<'_>,
    aad: Vec<u8>,
) -> Crafted {
    let mut group = MlsGroup::load(
        &engine.store().mls_storage(),
        &GroupId::from_slice(&channel.0),
    )
    .unwrap()
    .unwrap();
    let provider = OpenMlsRustCrypto::default();
    craft(&mut group, &provider, &key.to_openmls_signer(), what, aad)
}
