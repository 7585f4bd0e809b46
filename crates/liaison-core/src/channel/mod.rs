//! Partnership channels: the MLS configuration every Liaison group shares,
//! how the channel policy rides in the group context, and the engine's errors.
//! The policy and the rules themselves are the rulebook's (`liaison-rules`).

mod error;
mod extension;

pub use error::EngineError;
pub use extension::{
    CIPHERSUITE, MAX_PAST_EPOCHS, PADDING_SIZE, POLICY_EXTENSION_TYPE, group_context_extensions,
};
pub(crate) use extension::{capabilities, create_config, join_config, policy_bytes};
