//! Hostile input never panics: property tests on the decoders that read
//! network data.

use openmls::prelude::{Credential, CredentialType};
use proptest::prelude::*;

use super::*;
use crate::{clearance as clearance_codec, directory, verify_credential};

fn sample_credential_content() -> Vec<u8> {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    single_chain(&alice.certificate)
        .to_mls_credential()
        .serialized_content()
        .to_vec()
}

fn sample_directory_value() -> Vec<u8> {
    directory::encode(&nationality("GBR"), &clearance()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn from_mls_credential_never_panics_on_random_bytes(
        content in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let credential = Credential::new(CredentialType::X509, content);
        prop_assert!(CertificateChain::from_mls_credential(&credential).is_err());
    }

    #[test]
    fn attribute_decoders_never_panic_on_random_bytes(
        value in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let _ = directory::decode(&value);
        let _ = clearance_codec::decode(&value);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mutated_credentials_never_panic_and_never_verify_as_someone_else(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let ca = authority("GBR Liaison CA");
        let alice = officer(&ca, "gbr-0001");
        let mut content = single_chain(&alice.certificate)
            .to_mls_credential()
            .serialized_content()
            .to_vec();
        for (index, byte) in &edits {
            let i = index.index(content.len());
            content[i] ^= byte | 1;
        }
        if truncate {
            content.truncate(cut.index(content.len()));
        }
        let credential = Credential::new(CredentialType::X509, content);
        // Edits may cancel each other out; whatever still verifies must
        // still be Alice's credential.
        if let Ok(chain) = CertificateChain::from_mls_credential(&credential)
            && let Ok(verified) =
                verify_credential(&chain, &anchors_of(&[&ca]), now(), &alice.key.public_key())
        {
            prop_assert_eq!(verified.attributes(), &attributes("gbr-0001"));
        }
    }

    #[test]
    fn mutated_directory_attributes_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let mut value = sample_directory_value();
        for (index, byte) in &edits {
            let i = index.index(value.len());
            value[i] ^= byte | 1;
        }
        let _ = directory::decode(&value);
    }

    #[test]
    fn mutated_credential_framing_never_panics(
        edits in proptest::collection::vec((0usize..8, any::<u8>()), 1..4),
    ) {
        let mut content = sample_credential_content();
        for (i, byte) in &edits {
            content[*i] = *byte;
        }
        let credential = Credential::new(CredentialType::X509, content);
        let _ = CertificateChain::from_mls_credential(&credential);
    }
}
