//! Object identifiers: the dotted form and the DER content octets.
//!
//! yasna and rcgen model an arc as a `u64`, but the Liaison OIDs (and any
//! `2.25.<UUID>` OID a label policy may use) have 128-bit arcs, so the codec
//! here works on `u128` arcs and on raw content octets.

/// Longest OID content accepted, in octets. Real OIDs stay far below it; the
/// cap bounds the work done on hostile input.
const MAX_OID_CONTENT_LEN: usize = 64;

/// commonName, X.520: `2.5.4.3`.
pub(crate) const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
/// organizationName, X.520: `2.5.4.10`.
pub(crate) const ORGANISATION_NAME: &[u8] = &[0x55, 0x04, 0x0a];

/// userId (UID), RFC 4519: `0.9.2342.19200300.100.1.1`. Holds the officer id.
pub(crate) const UID: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01];
/// `UID` as arcs, for rcgen.
pub(crate) const UID_ARCS: &[u64] = &[0, 9, 2342, 19_200_300, 100, 1, 1];

/// subjectDirectoryAttributes, RFC 5280 §4.2.1.8: `2.5.29.9`.
pub(crate) const SUBJECT_DIRECTORY_ATTRIBUTES: &[u8] = &[0x55, 0x1d, 0x09];
/// `SUBJECT_DIRECTORY_ATTRIBUTES` as arcs, for rcgen.
pub(crate) const SUBJECT_DIRECTORY_ATTRIBUTES_ARCS: &[u64] = &[2, 5, 29, 9];

/// countryOfCitizenship, RFC 3739 §3.2.2: `1.3.6.1.5.5.7.9.4`.
pub(crate) const COUNTRY_OF_CITIZENSHIP: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x09, 0x04];

/// clearance, RFC 5755 §4.4.6: `2.5.4.55`.
pub(crate) const CLEARANCE: &[u8] = &[0x55, 0x04, 0x37];

/// extKeyUsage, RFC 5280 §4.2.1.12: `2.5.29.37`.
pub(crate) const EXTENDED_KEY_USAGE_ARCS: &[u64] = &[2, 5, 29, 37];

/// id-kp-clientAuth: `1.3.6.1.5.5.7.3.2`.
pub(crate) const KP_CLIENT_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];

/// Ed25519 algorithm identifier, RFC 8410: `1.3.101.112`.
pub(crate) const ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// The Liaison key purpose, `2.25.117053492409630414108264198054044550203.1`.
///
/// `2.25` is the ITU-T X.667 arc where a UUID is an OID without
/// registration; the UUID was drawn at random for Liaison.
pub const LIAISON_KEY_PURPOSE: &str = "2.25.117053492409630414108264198054044550203.1";
/// `LIAISON_KEY_PURPOSE` as DER content octets.
pub(crate) const LIAISON_KEY_PURPOSE_DER: &[u8] = &[
    0x69, 0x81, 0xb0, 0x8f, 0xd7, 0xaf, 0xf6, 0xc6, 0xaa, 0x8b, 0xd3, 0xb7, 0xfc, 0xad, 0x86, 0x97,
    0xe4, 0xf3, 0x88, 0x3b, 0x01,
];

/// Encodes a dotted OID (`"2.5.4.55"`) as DER content octets.
///
/// Returns `None` unless the text is a well-formed OID: at least two arcs,
/// decimal digits without leading zeros, first arc 0..=2, second arc below
/// 40 under arcs 0 and 1, each arc fitting in 128 bits.
pub(crate) fn encode_dotted(dotted: &str) -> Option<Vec<u8>> {
    let mut arcs = dotted.split('.').map(parse_arc);
    let first = arcs.next()??;
    let second = arcs.next()??;
    let head = match first {
        0 | 1 if second < 40 => first * 40 + second,
        2 => second.checked_add(80)?,
        _ => return None,
    };
    let mut out = Vec::new();
    push_base128(&mut out, head);
    for arc in arcs {
        push_base128(&mut out, arc?);
    }
    (out.len() <= MAX_OID_CONTENT_LEN).then_some(out)
}

/// Decodes DER content octets into the dotted form.
///
/// Returns `None` for empty or oversized input, a truncated last
/// subidentifier, a non-minimal subidentifier (leading `0x80`), or an arc
/// that does not fit in 128 bits.
pub(crate) fn decode_dotted(content: &[u8]) -> Option<String> {
    if content.is_empty() || content.len() > MAX_OID_CONTENT_LEN {
        return None;
    }
    let mut subidentifiers = Vec::new();
    let mut current: u128 = 0;
    let mut fresh = true;
    for &byte in content {
        if fresh && byte == 0x80 {
            return None;
        }
        if current.leading_zeros() < 7 {
            return None;
        }
        current = (current << 7) | u128::from(byte & 0x7f);
        fresh = byte & 0x80 == 0;
        if fresh {
            subidentifiers.push(current);
            current = 0;
        }
    }
    if !fresh {
        return None;
    }
    let (&head, rest) = subidentifiers.split_first()?;
    let (first, second) = match head {
        0..=39 => (0, head),
        40..=79 => (1, head - 40),
        _ => (2, head - 80),
    };
    let mut dotted = format!("{first}.{second}");
    for arc in rest {
        dotted.push('.');
        dotted.push_str(&arc.to_string());
    }
    Some(dotted)
}

fn parse_arc(text: &str) -> Option<u128> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if canonical { text.parse().ok() } else { None }
}

fn push_base128(out: &mut Vec<u8>, value: u128) {
    let mut groups = [0u8; 19];
    let mut count = 0;
    let mut rest = value;
    loop {
        // Masked to seven bits, so the narrowing cannot lose data.
        let group = u8::try_from(rest & 0x7f).unwrap_or_default();
        if let Some(slot) = groups.get_mut(count) {
            *slot = group;
        }
        count += 1;
        rest >>= 7;
        if rest == 0 {
            break;
        }
    }
    for i in (0..count).rev() {
        let continuation = if i == 0 { 0 } else { 0x80 };
        out.push(groups.get(i).copied().unwrap_or_default() | continuation);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn constants_match_their_dotted_forms() {
        let cases: &[(&str, &[u8])] = &[
            ("0.9.2342.19200300.100.1.1", UID),
            ("2.5.4.3", COMMON_NAME),
            ("2.5.4.10", ORGANISATION_NAME),
            ("2.5.29.9", SUBJECT_DIRECTORY_ATTRIBUTES),
            ("1.3.6.1.5.5.7.9.4", COUNTRY_OF_CITIZENSHIP),
            ("2.5.4.55", CLEARANCE),
            ("1.3.6.1.5.5.7.3.2", KP_CLIENT_AUTH),
            ("1.3.101.112", ED25519),
            (LIAISON_KEY_PURPOSE, LIAISON_KEY_PURPOSE_DER),
        ];
        for (dotted, der) in cases {
            assert_eq!(encode_dotted(dotted).unwrap(), *der, "{dotted}");
            assert_eq!(decode_dotted(der).unwrap(), *dotted);
        }
    }

    #[test]
    fn malformed_dotted_oids_are_refused() {
        for bad in [
            "", "1", "3.1", "1.40", "1..2", "1.2.", "01.2", "1.2.a", "1.+2", "-1.2",
        ] {
            assert_eq!(encode_dotted(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn malformed_content_octets_are_refused() {
        assert_eq!(decode_dotted(&[]), None);
        assert_eq!(decode_dotted(&[0x55, 0x81]), None, "truncated");
        assert_eq!(decode_dotted(&[0x55, 0x80, 0x01]), None, "non-minimal");
        assert_eq!(decode_dotted(&[0xff; 20]), None, "overflow");
    }

    #[test]
    fn arcs_beyond_128_bits_are_refused() {
        let too_big = "2.25.340282366920938463463374607431768211456";
        assert_eq!(encode_dotted(too_big), None);
        let max = "2.25.340282366920938463463374607431768211455";
        assert_eq!(decode_dotted(&encode_dotted(max).unwrap()).unwrap(), max);
    }
}
