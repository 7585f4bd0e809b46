//! The wire form of a channel policy, as carried in the MLS group-context
//! extension. Decoding here checks only the layout and its limits; the
//! client engine then validates labels and trust anchors
//! (`liaison_core::ChannelPolicy`). The relay reads it too: the admins (to
//! refuse a commit a non-admin could not make) and the retention.

use crate::codec::{DecodeError, Reader, Writer};

/// Version of the policy encoding.
pub const POLICY_VERSION: u8 = 1;
/// Longest partnership name, in bytes.
pub const MAX_PARTNERSHIP_LEN: usize = 256;
/// Longest officer identifier, in bytes.
pub const MAX_OFFICER_ID_LEN: usize = 128;
/// Most admins a channel may list.
pub const MAX_ADMINS: usize = 256;
/// Most trust anchors, and separately intermediate authorities, a channel may list.
pub const MAX_AUTHORITIES: usize = 64;
/// Most revocation lists a channel may carry.
pub const MAX_CRLS: usize = 64;
/// Largest certificate or revocation list, in bytes.
pub const MAX_DER_LEN: usize = 256 * 1024;
const MAX_LABEL_LEN: usize = crate::MAX_LABEL_LEN;

/// The group-context extension type carrying the policy (RFC 9420
/// private-use range).
pub const POLICY_EXTENSION_TYPE: u16 = 0xF1A0;

/// A channel policy in wire form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyWire {
    /// Partnership name.
    pub partnership: String,
    /// Canonical ceiling label.
    pub ceiling: Vec<u8>,
    /// Canonical default label.
    pub default_label: Vec<u8>,
    /// Admin officer ids, sorted and unique.
    pub admins: Vec<String>,
    /// Trust anchor certificates (DER).
    pub anchors: Vec<Vec<u8>>,
    /// Intermediate authority certificates (DER).
    pub intermediates: Vec<Vec<u8>>,
    /// Revocation lists (DER).
    pub crls: Vec<Vec<u8>>,
    /// Days messages are kept; 0 = unlimited.
    pub retention_days: u32,
    /// 0 keep history on removal, 1 purge it.
    pub purge_on_removal: bool,
}

fn len_u32(len: usize) -> u32 {
    // Every list is bounded by a MAX_* far below u32::MAX before encoding.
    u32::try_from(len).unwrap_or(u32::MAX)
}

fn count(r: &mut Reader<'_>, field: &'static str, max: usize) -> Result<usize, DecodeError> {
    let announced = r.u32(field)?;
    match usize::try_from(announced) {
        Ok(n) if n <= max => Ok(n),
        _ => Err(DecodeError::TooLong {
            field,
            len: usize::try_from(announced).unwrap_or(usize::MAX),
            max,
        }),
    }
}

fn der_list(
    r: &mut Reader<'_>,
    field: &'static str,
    max: usize,
) -> Result<Vec<Vec<u8>>, DecodeError> {
    let n = count(r, field, max)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(r.bytes(field, MAX_DER_LEN)?.to_vec());
    }
    Ok(out)
}

impl PolicyWire {
    /// Canonical encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u8(POLICY_VERSION)
            .string(&self.partnership)
            .bytes(&self.ceiling)
            .bytes(&self.default_label);
        w.u32(len_u32(self.admins.len()));
        for admin in &self.admins {
            w.string(admin);
        }
        for list in [&self.anchors, &self.intermediates, &self.crls] {
            w.u32(len_u32(list.len()));
            for der in list {
                w.bytes(der);
            }
        }
        w.u32(self.retention_days).flag(self.purge_on_removal);
        w.into_bytes()
    }

    /// Decodes untrusted bytes: layout and limits only; admins must be
    /// strictly increasing (sorted, unique) so the encoding is canonical.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let version = r.u8("policy version")?;
        if version != POLICY_VERSION {
            return Err(DecodeError::UnsupportedVersion {
                what: "channel policy",
                version,
            });
        }
        let partnership = r.string("partnership", MAX_PARTNERSHIP_LEN)?.to_owned();
        let ceiling = r.bytes("ceiling", MAX_LABEL_LEN)?.to_vec();
        let default_label = r.bytes("default label", MAX_LABEL_LEN)?.to_vec();
        let n = count(&mut r, "admins", MAX_ADMINS)?;
        let mut admins: Vec<String> = Vec::with_capacity(n);
        for _ in 0..n {
            let admin = r.string("admin", MAX_OFFICER_ID_LEN)?.to_owned();
            if admins.last().is_some_and(|last| *last >= admin) {
                return Err(DecodeError::InvalidValue("admins not sorted and unique"));
            }
            admins.push(admin);
        }
        let anchors = der_list(&mut r, "trust anchors", MAX_AUTHORITIES)?;
        let intermediates = der_list(&mut r, "intermediates", MAX_AUTHORITIES)?;
        let crls = der_list(&mut r, "revocation lists", MAX_CRLS)?;
        let retention_days = r.u32("retention")?;
        let purge_on_removal = r.flag("history on removal")?;
        r.finish()?;
        Ok(Self {
            partnership,
            ceiling,
            default_label,
            admins,
            anchors,
            intermediates,
            crls,
            retention_days,
            purge_on_removal,
        })
    }

    /// Whether `officer_id` is listed as an admin.
    pub fn is_admin(&self, officer_id: &str) -> bool {
        self.admins
            .binary_search_by(|admin| admin.as_str().cmp(officer_id))
            .is_ok()
    }
}
