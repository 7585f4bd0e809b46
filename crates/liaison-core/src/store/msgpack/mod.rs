//! A MessagePack encoder that writes, byte for byte, what
//! `rmp_serde::to_vec_named` writes, several times faster.
//!
//! openmls's state is mostly byte strings that serde presents as sequences
//! of `u8`, one element at a time; openmls rewrites its message secrets
//! (megabytes in a large channel) at every message and commit.
//! `rmp_serde` spends most of its time on that per-element path. This
//! encoder pushes each element straight onto one buffer.
//!
//! The output must stay identical to `rmp_serde`'s: stored rows are decoded
//! by `rmp_serde`, and lookup keys (group ids, key-package references) are
//! compared as encoded bytes. So the encoder follows `rmp_serde` 1.3's
//! choices (named struct fields, enum variants by name, smallest integer
//! form, `i128` as 16-byte binary) and refuses what it does not reproduce
//! (MessagePack extension types, lengths past `u32`) with [`Unsupported`],
//! for the caller to fall back on `rmp_serde`. The codec checks the two
//! agree in debug builds, on every write the test suites make.

mod bytes;

use std::fmt;

use serde::ser::{self, Serialize, SerializeSeq as _};

/// The encoder declined a value (see the module documentation).
#[derive(Debug)]
pub(super) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("value outside the fast MessagePack encoder's subset")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Self
    }
}

/// Encodes `value` as `rmp_serde::to_vec_named` would.
pub(super) fn to_vec_named<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Unsupported> {
    let mut encoder = Encoder {
        out: Vec::with_capacity(256),
    };
    value.serialize(&mut encoder)?;
    Ok(encoder.out)
}

/// `rmp_serde`'s marker for its extension-type newtype.
const EXT_STRUCT_NAME: &str = "_ExtStruct";

struct Encoder {
    out: Vec<u8>,
}

fn len32(len: usize) -> Result<u32, Unsupported> {
    u32::try_from(len).map_err(|_| Unsupported)
}

impl Encoder {
    #[inline]
    fn uint(&mut self, v: u64) {
        if let Ok(small) = u8::try_from(v) {
            if small < 0x80 {
                self.out.push(small);
            } else {
                self.out.extend_from_slice(&[0xcc, small]);
            }
        } else if let Ok(v) = u16::try_from(v) {
            self.out.push(0xcd);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else if let Ok(v) = u32::try_from(v) {
            self.out.push(0xce);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else {
            self.out.push(0xcf);
            self.out.extend_from_slice(&v.to_be_bytes());
        }
    }

    fn sint(&mut self, v: i64) {
        if let Ok(v) = u64::try_from(v) {
            return self.uint(v);
        }
        // Negative from here on; -32 to -1 are their own marker byte.
        if let Ok(v) = i8::try_from(v) {
            if v < -32 {
                self.out.push(0xd0);
            }
            self.out.extend_from_slice(&v.to_be_bytes());
        } else if let Ok(v) = i16::try_from(v) {
            self.out.push(0xd1);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else if let Ok(v) = i32::try_from(v) {
            self.out.push(0xd2);
            self.out.extend_from_slice(&v.to_be_bytes());
        } else {
            self.out.push(0xd3);
            self.out.extend_from_slice(&v.to_be_bytes());
        }
    }

    /// A length header: the fix form below `fix_limit` (`fix | len`), then
    /// the 8-bit form when the type has one, then 16 and 32 bits.
    fn header(&mut self, len: u32, fix: Option<(u8, u32)>, wide: [Option<u8>; 3]) {
        let [w8, w16, w32] = wide;
        if let Some((fix, limit)) = fix
            && len < limit
            && let Ok(small) = u8::try_from(len)
        {
            self.out.push(fix | small);
        } else if let (Some(marker), Ok(small)) = (w8, u8::try_from(len)) {
            self.out.extend_from_slice(&[marker, small]);
        } else if let (Some(marker), Ok(mid)) = (w16, u16::try_from(len)) {
            self.out.push(marker);
            self.out.extend_from_slice(&mid.to_be_bytes());
        } else if let Some(marker) = w32 {
            self.out.push(marker);
            self.out.extend_from_slice(&len.to_be_bytes());
        }
    }

    fn array_header(&mut self, len: u32) {
        self.header(len, Some((0x90, 16)), [None, Some(0xdc), Some(0xdd)]);
    }

    fn map_header(&mut self, len: u32) {
        self.header(len, Some((0x80, 16)), [None, Some(0xde), Some(0xdf)]);
    }

    fn str(&mut self, v: &str) -> Result<(), Unsupported> {
        let len = len32(v.len())?;
        self.header(len, Some((0xa0, 32)), [Some(0xd9), Some(0xda), Some(0xdb)]);
        self.out.extend_from_slice(v.as_bytes());
        Ok(())
    }

    fn bin(&mut self, v: &[u8]) -> Result<(), Unsupported> {
        let len = len32(v.len())?;
        self.header(len, None, [Some(0xc4), Some(0xc5), Some(0xc6)]);
        self.out.extend_from_slice(v);
        Ok(())
    }

    /// A one-entry map from the variant's name to its content, as
    /// `rmp_serde` writes every enum variant that carries data.
    fn variant(&mut self, variant: &str) -> Result<(), Unsupported> {
        self.map_header(1);
        self.str(variant)
    }
}

/// A sequence or map being written. When serde does not know its length in
/// advance, the header goes in front of the elements once they are counted.
struct Compound<'a> {
    encoder: &'a mut Encoder,
    unknown: Option<Unknown>,
}

struct Unknown {
    start: usize,
    items: u32,
}

impl<'a> Compound<'a> {
    fn new(encoder: &'a mut Encoder, len: Option<usize>, map: bool) -> Result<Self, Unsupported> {
        let unknown = match len {
            Some(len) => {
                let len = len32(len)?;
                if map {
                    encoder.map_header(len);
                } else {
                    encoder.array_header(len);
                }
                None
            }
            None => Some(Unknown {
                start: encoder.out.len(),
                items: 0,
            }),
        };
        Ok(Self { encoder, unknown })
    }

    #[inline]
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        if let Some(unknown) = &mut self.unknown {
            unknown.items = unknown.items.checked_add(1).ok_or(Unsupported)?;
        }
        value.serialize(&mut *self.encoder)
    }

    fn finish(self, map: bool) -> Result<(), Unsupported> {
        let Some(unknown) = self.unknown else {
            return Ok(());
        };
        let mut header = Encoder { out: Vec::new() };
        if map {
            header.map_header(unknown.items / 2);
        } else {
            header.array_header(unknown.items);
        }
        self.encoder
            .out
            .splice(unknown.start..unknown.start, header.out);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Encoder {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> Result<(), Unsupported> {
        self.out.push(if v { 0xc3 } else { 0xc2 });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Unsupported> {
        self.sint(i64::from(v));
        Ok(())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Unsupported> {
        self.sint(i64::from(v));
        Ok(())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Unsupported> {
        self.sint(i64::from(v));
        Ok(())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Unsupported> {
        self.sint(v);
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Unsupported> {
        self.bin(&v.to_be_bytes())
    }

    #[inline]
    fn serialize_u8(self, v: u8) -> Result<(), Unsupported> {
        if v < 0x80 {
            self.out.push(v);
        } else {
            self.out.extend_from_slice(&[0xcc, v]);
        }
        Ok(())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Unsupported> {
        self.uint(u64::from(v));
        Ok(())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Unsupported> {
        self.uint(u64::from(v));
        Ok(())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Unsupported> {
        self.uint(v);
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result<(), Unsupported> {
        self.bin(&v.to_be_bytes())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Unsupported> {
        self.out.push(0xca);
        self.out.extend_from_slice(&v.to_be_bytes());
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Unsupported> {
        self.out.push(0xcb);
        self.out.extend_from_slice(&v.to_be_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Unsupported> {
        self.str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Unsupported> {
        self.str(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unsupported> {
        self.bin(v)
    }

    fn serialize_none(self) -> Result<(), Unsupported> {
        self.out.push(0xc0);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unsupported> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unsupported> {
        self.out.push(0xc0);
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Unsupported> {
        self.array_header(0);
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Unsupported> {
        self.str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        if name == EXT_STRUCT_NAME {
            return Err(Unsupported);
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.variant(variant)?;
        value.serialize(self)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Compound::new(self, len, false)
    }

    /// Vectors and slices come here. A sequence of `u8` (found by its first
    /// element) takes the fast path; the output is the same either way.
    fn collect_seq<I>(self, iter: I) -> Result<(), Unsupported>
    where
        I: IntoIterator,
        I::Item: Serialize,
    {
        let mut iter = iter.into_iter().peekable();
        let len = match iter.size_hint() {
            (low, Some(high)) if low == high => Some(low),
            _ => None,
        };
        let Some(len) = len.filter(|_| iter.peek().and_then(bytes::probe).is_some()) else {
            let mut seq = Compound::new(self, len, false)?;
            for item in iter {
                seq.serialize_element(&item)?;
            }
            return seq.end();
        };
        self.array_header(len32(len)?);
        // Room for the worst case (every byte in its two-byte form),
        // trimmed afterwards: the loop then writes into a slice it owns,
        // one pass, with no growth check per byte.
        let start = self.out.len();
        let room = len.checked_mul(2).ok_or(Unsupported)?;
        self.out.resize(start + room, 0);
        let mut written = 0;
        let mut count = 0usize;
        let mut rest = None;
        if let Some(dst) = self.out.get_mut(start..) {
            for item in iter.by_ref() {
                let (Some(byte), Some(slot)) =
                    (bytes::probe(&item), dst.get_mut(written..written + 2))
                else {
                    rest = Some(item);
                    break;
                };
                written += bytes::put(slot, byte);
                count += 1;
            }
        }
        self.out.truncate(start + written);
        if let Some(item) = rest {
            // Not all bytes after all (or more than announced): the rest
            // one by one, as it would have been written.
            item.serialize(&mut *self)?;
            count += 1;
            for item in iter {
                item.serialize(&mut *self)?;
                count += 1;
            }
        }
        // The header promised `len` elements; an iterator that lied about
        // its length is left to the caller's fallback.
        if count == len {
            Ok(())
        } else {
            Err(Unsupported)
        }
    }

    fn serialize_tuple(self, len: usize) -> Result<Self, Unsupported> {
        self.array_header(len32(len)?);
        Ok(self)
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Unsupported> {
        self.array_header(len32(len)?);
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Unsupported> {
        self.variant(variant)?;
        self.array_header(len32(len)?);
        Ok(self)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>, Unsupported> {
        Compound::new(self, len, true)
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, Unsupported> {
        self.map_header(len32(len)?);
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Unsupported> {
        self.variant(variant)?;
        self.map_header(len32(len)?);
        Ok(self)
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.item(value)
    }

    fn end(self) -> Result<(), Unsupported> {
        self.finish(false)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unsupported> {
        self.item(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        self.item(value)
    }

    fn end(self) -> Result<(), Unsupported> {
        self.finish(true)
    }
}

impl ser::SerializeTuple for &mut Encoder {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Encoder {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Encoder {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unsupported> {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Encoder {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.str(key)?;
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Encoder {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.str(key)?;
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}
