//! Commits built with openmls from a member's own stored state, as a
//! client that skips its checks would: the attacks the relay and every
//! member must refuse.

use liaison_core::{CertificateChain, ChannelId, DeviceKey, group_context_extensions};
use openmls::prelude::{
    CredentialWithKey, GroupId, KeyPackage, KeyPackageIn, LeafNodeIndex, LeafNodeParameters,
    MlsGroup, MlsMessageBodyIn, MlsMessageIn, NewSignerBundle, ProtocolVersion,
};
use openmls_rust_crypto::OpenMlsRustCrypto;
use openmls_traits::OpenMlsProvider as _;
use tls_codec::{Deserialize as _, Serialize as _};

use super::Member;

pub fn key_package(bytes: &[u8], provider: &OpenMlsRustCrypto) -> KeyPackage {
    let MlsMessageBodyIn::KeyPackage(key_package) = MlsMessageIn::tls_deserialize_exact(bytes)
        .unwrap()
        .extract()
    else {
        panic!("not a key package");
    };
    let key_package: KeyPackageIn = key_package;
    key_package
        .validate(provider.crypto(), ProtocolVersion::Mls10)
        .unwrap()
}

/// What a rogue commit does.
pub enum Rogue<'a> {
    Add(&'a [u8]),
    Remove(LeafNodeIndex),
    UpdateTo(&'a CertificateChain, &'a DeviceKey),
    Empty,
    /// A commit that changes the channel policy to these canonical bytes.
    Policy(Vec<u8>),
    /// A proposal sent on its own: removing this leaf.
    ProposeRemove(LeafNodeIndex),
}

/// A commit by `member` built with openmls from its stored state on an
/// in-memory provider (its store untouched), with authenticated data `aad`.
pub fn rogue(member: &Member, channel: &ChannelId, what: Rogue<'_>, aad: Vec<u8>) -> Vec<u8> {
    let mut group = MlsGroup::load(
        &member.engine.store().mls_storage(),
        &GroupId::from_slice(&channel.0),
    )
    .unwrap()
    .unwrap();
    let provider = OpenMlsRustCrypto::default();
    let signer = member.identity.key().to_openmls_signer();
    group.set_aad(aad);
    let commit = match what {
        Rogue::Add(package) => {
            let package = key_package(package, &provider);
            group.add_members(&provider, &signer, &[package]).unwrap().0
        }
        Rogue::Remove(leaf) => group.remove_members(&provider, &signer, &[leaf]).unwrap().0,
        Rogue::UpdateTo(chain, key) => {
            let new_signer = key.to_openmls_signer();
            group
                .self_update_with_new_signer(
                    &provider,
                    &signer,
                    NewSignerBundle {
                        signer: &new_signer,
                        credential_with_key: CredentialWithKey {
                            credential: chain.to_mls_credential(),
                            signature_key: key.public_key().to_vec().into(),
                        },
                    },
                    LeafNodeParameters::default(),
                )
                .unwrap()
                .into_messages()
                .0
        }
        Rogue::Empty => {
            group
                .self_update(&provider, &signer, LeafNodeParameters::default())
                .unwrap()
                .into_messages()
                .0
        }
        Rogue::Policy(policy) => group
            .commit_builder()
            .propose_group_context_extensions(group_context_extensions(policy).unwrap())
            .unwrap()
            .load_psks(provider.storage())
            .unwrap()
            .build(provider.rand(), provider.crypto(), &signer, |_| true)
            .unwrap()
            .stage_commit(&provider)
            .unwrap()
            .commit()
            .clone(),
        Rogue::ProposeRemove(leaf) => {
            group
                .propose_remove_member(&provider, &signer, leaf)
                .unwrap()
                .0
        }
    };
    commit.tls_serialize_detached().unwrap()
}
