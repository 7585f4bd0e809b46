#![no_main]
//! Delivery-service frames: what a client submits and the relay hands back
//! (`Submission`, `Delivery`, `SubmitOutcome` in JSON), and the MLS
//! messages inside them as the relay reads them without any group secret
//! (`MlsMessageIn`): a key package validated and its X.509 credential
//! read for the officer directory; the key packages a Welcome is
//! encrypted to; a creator's GroupInfo turned into the public group state,
//! its members' credentials and its channel policy; and the group id,
//! epoch and content type of a commit or application message.
//!
//! Asserts: no panic; JSON round trips.

use liaison_identity::CertificateChain;
use liaison_proto::{Delivery, POLICY_EXTENSION_TYPE, PolicyWire, Submission, SubmitOutcome};
use libfuzzer_sys::fuzz_target;
use openmls::prelude::{
    MlsMessageBodyIn, MlsMessageIn, ProposalStore, ProtocolVersion, PublicGroup,
};
use openmls_rust_crypto::{MemoryStorage, RustCrypto};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tls_codec::Deserialize as _;

fn json_round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
    if let Ok(value) = serde_json::from_str::<T>(text) {
        let again = serde_json::to_string(&value).expect("a parsed value serialises");
        let back = serde_json::from_str::<T>(&again)
            .unwrap_or_else(|e| panic!("{again} does not parse back: {e}"));
        assert_eq!(back, value, "{again}");
    }
}

/// What the relay's directory and membership checks read of a credential.
fn credential(credential: &openmls::prelude::Credential) {
    if let Ok(chain) = CertificateChain::from_mls_credential(credential) {
        let _ = chain.claimed_officer_id();
        let _ = chain.leaf_public_key();
        let content = chain.to_mls_credential();
        assert_eq!(
            content.serialized_content(),
            credential.serialized_content(),
            "the credential does not re-encode to its bytes"
        );
    }
}

fn mls(data: &[u8]) {
    let Ok(message) = MlsMessageIn::tls_deserialize_exact(data) else {
        return;
    };
    let crypto = RustCrypto::default();
    match message.clone().extract() {
        MlsMessageBodyIn::KeyPackage(key_package) => {
            if let Ok(key_package) = key_package.validate(&crypto, ProtocolVersion::Mls10) {
                let _ = key_package.hash_ref(&crypto);
                let leaf = key_package.leaf_node();
                let _ = leaf.capabilities().extensions();
                credential(leaf.credential());
            }
        }
        MlsMessageBodyIn::Welcome(welcome) => {
            for secret in welcome.secrets() {
                let _ = secret.new_member().as_slice().len();
            }
        }
        MlsMessageBodyIn::GroupInfo(info) => {
            let Some(tree) = info
                .extensions()
                .ratchet_tree()
                .map(|ext| ext.ratchet_tree().clone())
            else {
                return;
            };
            let storage = MemoryStorage::default();
            if let Ok((public, _)) =
                PublicGroup::from_external(&crypto, &storage, tree, info, ProposalStore::new())
            {
                for member in public.members() {
                    credential(&member.credential);
                }
                if let Some(policy) = public
                    .group_context()
                    .extensions()
                    .unknown(POLICY_EXTENSION_TYPE)
                {
                    let _ = PolicyWire::decode(policy.0.as_slice());
                }
            }
        }
        MlsMessageBodyIn::PublicMessage(_) | MlsMessageBodyIn::PrivateMessage(_) => {
            if let Ok(protocol) = message.try_into_protocol_message() {
                let _ = protocol.group_id().as_slice().len();
                let _ = protocol.epoch().as_u64();
                let _ = protocol.content_type();
                let _ = protocol.is_handshake_message();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        json_round_trip::<Submission>(text);
        json_round_trip::<Delivery>(text);
        json_round_trip::<SubmitOutcome>(text);
    }
    mls(data);
});
