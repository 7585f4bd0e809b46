//! How a channel policy rides in the MLS group context, and the MLS
//! configuration every Liaison group shares.

use openmls::prelude::{
    Capabilities, Ciphersuite, CredentialType, Extension, ExtensionType, Extensions, GroupContext,
    MIXED_PLAINTEXT_WIRE_FORMAT_POLICY, MlsGroupCreateConfig, MlsGroupJoinConfig,
    RequiredCapabilitiesExtension, UnknownExtension,
};

use super::error::EngineError;

/// The group-context extension type carrying the [`liaison_rules::ChannelPolicy`],
/// in the private-use range of RFC 9420 §17.3.
pub const POLICY_EXTENSION_TYPE: u16 = liaison_proto::POLICY_EXTENSION_TYPE;

/// The ciphersuite of every Liaison channel (docs/design.md, "Channels").
pub const CIPHERSUITE: Ciphersuite = Ciphersuite::MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

/// How many past epochs' secrets a member keeps, so application messages
/// sent just before a commit still decrypt after it.
pub const MAX_PAST_EPOCHS: usize = liaison_proto::PAST_EPOCHS_KEPT as usize;

/// Application messages are padded to a multiple of this many bytes so
/// their length says less about their content.
pub const PADDING_SIZE: usize = 64;

/// The capabilities every Liaison leaf advertises: X.509 credentials and the
/// policy extension.
pub(crate) fn capabilities() -> Capabilities {
    Capabilities::builder()
        .extensions(vec![
            ExtensionType::Unknown(POLICY_EXTENSION_TYPE),
            ExtensionType::LastResort,
        ])
        .credentials(vec![CredentialType::X509])
        .build()
}

/// The group-context extensions for a channel policy encoding: the
/// required capabilities (extension 0xF1A0, X.509 credentials) and the
/// policy itself. Public for tools that build commits with openmls
/// directly, such as the tests' rogue clients and other implementations
/// checking their own against Liaison's.
pub fn group_context_extensions(policy: Vec<u8>) -> Result<Extensions<GroupContext>, EngineError> {
    let required = RequiredCapabilitiesExtension::new(
        &[ExtensionType::Unknown(POLICY_EXTENSION_TYPE)],
        &[],
        &[CredentialType::X509],
    );
    Extensions::from_vec(vec![
        Extension::RequiredCapabilities(required),
        Extension::Unknown(POLICY_EXTENSION_TYPE, UnknownExtension(policy)),
    ])
    .map_err(|e| EngineError::mls("building group context extensions", e))
}

/// The policy bytes in a group context, if present.
pub(crate) fn policy_bytes(extensions: &Extensions<GroupContext>) -> Option<&[u8]> {
    extensions
        .unknown(POLICY_EXTENSION_TYPE)
        .map(|ext| ext.0.as_slice())
}

/// Configuration for creating a channel's group.
pub(crate) fn create_config(
    extensions: Extensions<GroupContext>,
) -> Result<MlsGroupCreateConfig, EngineError> {
    Ok(MlsGroupCreateConfig::builder()
        .ciphersuite(CIPHERSUITE)
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .max_past_epochs(MAX_PAST_EPOCHS)
        .padding_size(PADDING_SIZE)
        .capabilities(capabilities())
        .with_group_context_extensions(extensions)
        .build())
}

/// Configuration for joining a channel's group from a Welcome.
pub(crate) fn join_config() -> MlsGroupJoinConfig {
    MlsGroupJoinConfig::builder()
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .max_past_epochs(MAX_PAST_EPOCHS)
        .padding_size(PADDING_SIZE)
        .build()
}
