//! Partnership channels: the policy carried in the MLS group context, the
//! MLS configuration, the rules, and their errors.

mod error;
mod extension;
mod policy;
mod rules;

pub use error::{EngineError, RuleViolation};
pub use extension::{CIPHERSUITE, MAX_PAST_EPOCHS, PADDING_SIZE, POLICY_EXTENSION_TYPE};
pub(crate) use extension::{
    capabilities, create_config, group_context_extensions, join_config, policy_bytes,
};
pub use policy::{ChannelPolicy, ChannelPolicyError, HistoryOnRemoval};
pub use rules::{check_inheritance, check_message_label};
