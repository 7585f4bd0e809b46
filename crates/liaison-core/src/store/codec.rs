//! The serialisation of openmls state inside the store.
//!
//! MessagePack with named fields (`rmp_serde::to_vec_named`): compact, and
//! self-describing, so a field renamed, added or removed in a later openmls
//! release is matched by name instead of silently shifting positional data.
//! Lookup keys (group ids, key-package references) go through the same codec;
//! the encoding is deterministic, which the key lookups rely on.
//!
//! Encoding goes through [`msgpack`](super::msgpack), which writes the same
//! bytes as `rmp_serde` much faster (openmls rewrites megabytes of state per
//! commit in a large channel); what it declines goes through `rmp_serde`.
//! Decoding is `rmp_serde`'s.

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
        let encoded = match super::msgpack::to_vec_named(value) {
            Ok(bytes) => bytes,
            Err(_) => return rmp_serde::to_vec_named(value).map_err(|_| CodecError::Encode),
        };
        // Every test run checks the fast encoder against the reference on
        // all the state openmls writes. The values are secret: the message
        // names no bytes.
        debug_assert!(
            rmp_serde::to_vec_named(value).is_ok_and(|reference| reference == encoded),
            "the fast MessagePack encoder diverged from rmp_serde"
        );
        Ok(encoded)
    }

    fn from_slice<T: DeserializeOwned>(slice: &[u8]) -> Result<T, Self::Error> {
        rmp_serde::from_slice(slice).map_err(|_| CodecError::Decode)
    }
}
