//! The fast path for byte strings that serde presents as sequences of
//! `u8` (openmls's `VLBytes`, most of its state): write each as
//! MessagePack's one- or two-byte integer without a branch per byte (about
//! half the bytes of keys and ciphertexts are >= 0x80, so a branch
//! mispredicts constantly).

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::Unsupported;

/// Writes `byte` as `rmp_serde` writes a `u8` in a sequence (below 0x80 as
/// itself, otherwise `0xcc` and the byte) into `slot`, which has room for
/// two, and returns how many it used. Both bytes are stored either way, so
/// there is no branch on the byte's value.
#[inline]
pub(super) fn put(slot: &mut [u8], byte: u8) -> usize {
    let wide = usize::from(byte >> 7);
    if let [first, second] = slot {
        *first = if wide == 1 { 0xcc } else { byte };
        *second = byte;
    }
    1 + wide
}

/// Serializes a value only if it is a `u8`, returning it.
pub(super) struct ByteProbe;

/// Whether `value` is a `u8`, and which.
#[inline]
pub(super) fn probe<T: Serialize + ?Sized>(value: &T) -> Option<u8> {
    value.serialize(ByteProbe).ok()
}

type Never = Impossible<u8, Unsupported>;

impl ser::Serializer for ByteProbe {
    type Ok = u8;
    type Error = Unsupported;
    type SerializeSeq = Never;
    type SerializeTuple = Never;
    type SerializeTupleStruct = Never;
    type SerializeTupleVariant = Never;
    type SerializeMap = Never;
    type SerializeStruct = Never;
    type SerializeStructVariant = Never;

    fn is_human_readable(&self) -> bool {
        false
    }

    #[inline]
    fn serialize_u8(self, v: u8) -> Result<u8, Unsupported> {
        Ok(v)
    }

    fn serialize_bool(self, _: bool) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_i8(self, _: i8) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_i16(self, _: i16) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_i32(self, _: i32) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_i64(self, _: i64) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_u16(self, _: u16) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_u32(self, _: u32) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_u64(self, _: u64) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_f32(self, _: f32) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_f64(self, _: f64) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_char(self, _: char) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_str(self, _: &str) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_none(self) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_unit(self) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<u8, Unsupported> {
        // A newtype around a `u8` is written as the `u8`, but it is rare
        // enough that the general path may take it.
        Err(Unsupported)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<u8, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Never, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_tuple(self, _: usize) -> Result<Never, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Never, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Never, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Never, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Never, Unsupported> {
        Err(Unsupported)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Never, Unsupported> {
        Err(Unsupported)
    }
}
