//! Serde for [`TrustAnchors`]: it travels inside the channel policy.
//!
//! DER blobs are written with `serialize_bytes` (compact in MessagePack);
//! reading accepts bytes or a sequence of numbers (JSON). Deserializing
//! rebuilds the value through `new`, `with_intermediate` and `with_crl`, so
//! a policy from the network gets exactly the checks a local edit gets.

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::anchors::{MAX_ANCHORS, MAX_CRL_LEN, MAX_INTERMEDIATES, TrustAnchors};

/// The serialized shape.
#[derive(Serialize, Deserialize)]
struct Wire {
    anchors: Vec<Der>,
    intermediates: Vec<Der>,
    crls: Vec<Der>,
}

/// One DER blob.
struct Der(Vec<u8>);

impl Serialize for Der {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Der {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_byte_buf(DerVisitor)
    }
}

struct DerVisitor;

impl<'de> Visitor<'de> for DerVisitor {
    type Value = Der;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DER bytes of at most {MAX_CRL_LEN} bytes")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Der, E> {
        self.visit_byte_buf(v.to_vec())
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Der, E> {
        if v.len() > MAX_CRL_LEN {
            return Err(E::invalid_length(v.len(), &self));
        }
        Ok(Der(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Der, A::Error> {
        let mut bytes = Vec::new();
        while let Some(byte) = seq.next_element::<u8>()? {
            if bytes.len() == MAX_CRL_LEN {
                return Err(de::Error::invalid_length(bytes.len() + 1, &self));
            }
            bytes.push(byte);
        }
        Ok(Der(bytes))
    }
}

impl Serialize for TrustAnchors {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let copy = |list: &[Vec<u8>]| list.iter().map(|der| Der(der.clone())).collect();
        Wire {
            anchors: copy(self.anchors()),
            intermediates: copy(self.intermediates()),
            crls: copy(self.crls()),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for TrustAnchors {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        // One CRL per issuer at most survives `with_crl`; refuse more up
        // front rather than parse them.
        if wire.intermediates.len() > MAX_INTERMEDIATES
            || wire.anchors.len() > MAX_ANCHORS
            || wire.crls.len() > MAX_ANCHORS + MAX_INTERMEDIATES
        {
            return Err(de::Error::custom(
                "too many certificates in the trust anchors",
            ));
        }
        let mut anchors = TrustAnchors::new(wire.anchors.into_iter().map(|d| d.0).collect())
            .map_err(de::Error::custom)?;
        for intermediate in wire.intermediates {
            anchors = anchors
                .with_intermediate(intermediate.0)
                .map_err(de::Error::custom)?;
        }
        for crl in wire.crls {
            anchors = anchors.with_crl(crl.0).map_err(de::Error::custom)?;
        }
        Ok(anchors)
    }
}
