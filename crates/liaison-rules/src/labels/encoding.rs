//! The canonical binary encoding of a label, version 1 (byte layout in
//! `docs/labels.md`).
//!
//! Every label has exactly one encoding: tags are written in strictly
//! increasing order, optional fields are announced by flag bits and are never
//! empty, and the decoder refuses anything else (unsorted or repeated tags,
//! undefined flags, lengths out of bounds, trailing bytes), then checks the
//! content against the policy with the same builder as every other label.

use std::collections::BTreeSet;

use super::error::{DecodeError, LabelError};
use super::label::{Label, Tag};
use super::registry::PolicyRegistry;
use super::text::{MAX_FREE_TEXT_LEN, MAX_NAME_LEN, MAX_POLICY_ID_LEN};

/// The encoding version this build writes and reads.
pub(crate) const VERSION: u8 = 1;
/// Most tags in a label's restrictive set, and in its permissive set.
pub(crate) const MAX_TAGS: usize = 256;

const FLAG_PRIVACY_MARK: u8 = 0x01;
const FLAG_ORIGINATOR: u8 = 0x02;
const FLAG_CREATED_AT: u8 = 0x04;
const KNOWN_FLAGS: u8 = FLAG_PRIVACY_MARK | FLAG_ORIGINATOR | FLAG_CREATED_AT;

impl Label {
    /// The canonical encoding; the same label always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut flags = 0;
        if self.privacy_mark.is_some() {
            flags |= FLAG_PRIVACY_MARK;
        }
        if self.originator.is_some() {
            flags |= FLAG_ORIGINATOR;
        }
        if self.created_at.is_some() {
            flags |= FLAG_CREATED_AT;
        }
        let mut out = vec![VERSION, flags];
        put_str8(&mut out, self.policy_id());
        put_str8(&mut out, self.classification());
        put_tags(&mut out, &self.restrictive);
        put_tags(&mut out, &self.permissive);
        if let Some(mark) = &self.privacy_mark {
            put_str8(&mut out, mark);
        }
        if let Some(originator) = &self.originator {
            put_str8(&mut out, originator);
        }
        if let Some(seconds) = self.created_at {
            out.extend_from_slice(&seconds.to_be_bytes());
        }
        out
    }

    /// Decodes a label written by [`Label::to_bytes`]. A policy the registry
    /// does not know gives [`LabelError::UnknownPolicy`]; any other deviation
    /// from the one canonical encoding of a valid label is an error.
    pub fn from_bytes(bytes: &[u8], registry: &PolicyRegistry) -> Result<Label, LabelError> {
        let mut reader = Reader { rest: bytes };
        let version = reader.u8("version")?;
        if version != VERSION {
            return Err(DecodeError::UnsupportedVersion { version }.into());
        }
        let flags = reader.u8("flags")?;
        if flags & !KNOWN_FLAGS != 0 {
            let bits = flags & !KNOWN_FLAGS;
            return Err(DecodeError::UnknownFlags { bits }.into());
        }
        let policy_id = reader.str8("policy identifier", MAX_POLICY_ID_LEN)?;
        let classification = reader.str8("classification", MAX_NAME_LEN)?;
        let restrictive = reader.tags("restrictive tags")?;
        let permissive = reader.tags("permissive tags")?;
        let privacy_mark = (flags & FLAG_PRIVACY_MARK != 0)
            .then(|| reader.str8("privacy mark", MAX_FREE_TEXT_LEN))
            .transpose()?;
        let originator = (flags & FLAG_ORIGINATOR != 0)
            .then(|| reader.str8("originator", MAX_FREE_TEXT_LEN))
            .transpose()?;
        let created_at = (flags & FLAG_CREATED_AT != 0)
            .then(|| reader.u64("creation time"))
            .transpose()?;
        reader.finish()?;

        let policy = registry
            .get(policy_id)
            .ok_or_else(|| LabelError::UnknownPolicy {
                id: policy_id.into(),
            })?;
        let mut builder = Label::builder(policy, classification);
        for (category, value) in restrictive {
            builder = builder.restrictive(category, value);
        }
        for (category, value) in permissive {
            builder = builder.permissive(category, value);
        }
        if let Some(mark) = privacy_mark {
            builder = builder.privacy_mark(mark);
        }
        if let Some(originator) = originator {
            builder = builder.originator(originator);
        }
        if let Some(seconds) = created_at {
            builder = builder.created_at(seconds);
        }
        builder.build()
    }
}

/// Writes a length byte and the text.
fn put_str8(out: &mut Vec<u8>, text: &str) {
    // Every text of a label is at most MAX_FREE_TEXT_LEN (128) bytes: policy
    // names are checked by the loader, free texts by the builder.
    debug_assert!(text.len() <= MAX_FREE_TEXT_LEN);
    out.push(u8::try_from(text.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(text.as_bytes());
}

/// Writes a two-byte count and the tags in their (strictly increasing) order.
fn put_tags(out: &mut Vec<u8>, tags: &BTreeSet<Tag>) {
    // The builder refuses more than MAX_TAGS (256) tags per set.
    debug_assert!(tags.len() <= MAX_TAGS);
    out.extend_from_slice(&u16::try_from(tags.len()).unwrap_or(u16::MAX).to_be_bytes());
    for tag in tags {
        put_str8(out, tag.category());
        put_str8(out, tag.value());
    }
}

/// Reads the encoding front to back; every read is bounds-checked.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        let (taken, rest) = self
            .rest
            .split_at_checked(count)
            .ok_or(DecodeError::Truncated { field })?;
        self.rest = rest;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], DecodeError> {
        self.take(N, field)?
            .try_into()
            .map_err(|_| DecodeError::Truncated { field })
    }

    fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(u8::from_be_bytes(self.array(field)?))
    }

    fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array(field)?))
    }

    fn u64(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(self.array(field)?))
    }

    /// A length byte (1..=`max`) and that many bytes of UTF-8.
    fn str8(&mut self, field: &'static str, max: usize) -> Result<&'a str, DecodeError> {
        let length = usize::from(self.u8(field)?);
        check_range(field, length, 1, max)?;
        std::str::from_utf8(self.take(length, field)?)
            .map_err(|_| DecodeError::InvalidUtf8 { field })
    }

    /// A count (0..=[`MAX_TAGS`]) and that many (category, value) pairs in
    /// strictly increasing order.
    fn tags(&mut self, field: &'static str) -> Result<Vec<(&'a str, &'a str)>, DecodeError> {
        let count = usize::from(self.u16(field)?);
        check_range(field, count, 0, MAX_TAGS)?;
        let mut tags: Vec<(&str, &str)> = Vec::with_capacity(count);
        for _ in 0..count {
            let tag = (
                self.str8("tag category", MAX_NAME_LEN)?,
                self.str8("tag value", MAX_NAME_LEN)?,
            );
            // Tuple order on `&str` is bytewise, the order of `Tag`.
            if tags.last().is_some_and(|last| *last >= tag) {
                return Err(DecodeError::NotCanonical { field });
            }
            tags.push(tag);
        }
        Ok(tags)
    }

    fn finish(self) -> Result<(), DecodeError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes {
                count: self.rest.len(),
            })
        }
    }
}

fn check_range(
    field: &'static str,
    length: usize,
    min: usize,
    max: usize,
) -> Result<(), DecodeError> {
    if (min..=max).contains(&length) {
        Ok(())
    } else {
        Err(DecodeError::LengthOutOfRange {
            field,
            length,
            min,
            max,
        })
    }
}
