//! The serialisation of openmls state inside the store.
//!
//! MessagePack with named fields (`rmp_serde::to_vec_named`): compact, and
//! self-describing, so a field renamed, added or removed in a later openmls
//! release is matched by name instead of silently shifting positional data.
//! Lookup keys (group ids, key-package references) go through the same codec;
//! the encoding is deterministic, which the key lookups rely on.

use openmls_sqlite_storage::Codec;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The [`Codec`] of the store's openmls tables.
#[derive(Clone, Copy, Debug, Default)]
pub struct StoreCodec;

/// A failure to encode or decode openmls state.
///
/// Carries no detail from the underlying decoder, whose messages can quote
/// the (secret) stored values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// A value could not be encoded.
    #[error("MLS state could not be encoded")]
    Encode,
    /// Stored bytes do not decode to the expected type.
    #[error("stored MLS state could not be decoded")]
    Decode,
}

impl Codec for StoreCodec {
    type Error = CodecError;

    fn to_vec<T: Serialize>(value: &T) -> Result<Vec<u8>, Self::Error> {
        rmp_serde::to_vec_named(value).map_err(|_| CodecError::Encode)
    }

    fn from_slice<T: DeserializeOwned>(slice: &[u8]) -> Result<T, Self::Error> {
        rmp_serde::from_slice(slice).map_err(|_| CodecError::Decode)
    }
}
