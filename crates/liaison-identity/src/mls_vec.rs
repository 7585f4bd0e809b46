//! MLS variable-length vectors (RFC 9420 §2.1.2), for `opaque cert_data<V>`.
//!
//! Written by hand rather than with `tls_codec::VLBytes`: its
//! `tls_deserialize_bytes` carries a `debug_assert_eq!` that panics on a
//! truncated vector in debug builds, and this decoder reads network input.

/// Appends `bytes` as `opaque data<V>`. Returns `None` if the length does
/// not fit the 30-bit MLS varint.
pub(crate) fn push_opaque(out: &mut Vec<u8>, bytes: &[u8]) -> Option<()> {
    let len = u32::try_from(bytes.len()).ok()?;
    match len {
        0..=0x3f => out.push(u8::try_from(len).ok()?),
        0x40..=0x3fff => {
            let [_, _, high, low] = len.to_be_bytes();
            out.extend_from_slice(&[0x40 | high, low]);
        }
        0x4000..=0x3fff_ffff => {
            let [b0, b1, b2, b3] = len.to_be_bytes();
            out.extend_from_slice(&[0x80 | b0, b1, b2, b3]);
        }
        _ => return None,
    }
    out.extend_from_slice(bytes);
    Some(())
}

/// Why a vector could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VecError {
    /// The input ends inside the length or the content.
    Truncated,
    /// The length prefix uses the reserved `0b11` form or is not minimal.
    BadLength,
    /// The announced length exceeds the caller's cap.
    TooLong,
}

/// Reads one `opaque data<V>` from the front of `input`, refusing contents
/// longer than `max_len` before looking at them. Returns the content and
/// the rest of the input.
pub(crate) fn take_opaque(input: &[u8], max_len: usize) -> Result<(&[u8], &[u8]), VecError> {
    let (&first, rest) = input.split_first().ok_or(VecError::Truncated)?;
    let (len, rest) = match first >> 6 {
        0 => (usize::from(first & 0x3f), rest),
        1 => {
            let (&low, rest) = rest.split_first().ok_or(VecError::Truncated)?;
            let len = usize::from(u16::from_be_bytes([first & 0x3f, low]));
            if len < 0x40 {
                return Err(VecError::BadLength);
            }
            (len, rest)
        }
        2 => {
            let (bytes, rest) = rest.split_at_checked(3).ok_or(VecError::Truncated)?;
            let [b1, b2, b3] = <[u8; 3]>::try_from(bytes).map_err(|_| VecError::Truncated)?;
            let len = u32::from_be_bytes([first & 0x3f, b1, b2, b3]);
            if len < 0x4000 {
                return Err(VecError::BadLength);
            }
            (usize::try_from(len).map_err(|_| VecError::TooLong)?, rest)
        }
        _ => return Err(VecError::BadLength),
    };
    if len > max_len {
        return Err(VecError::TooLong);
    }
    rest.split_at_checked(len).ok_or(VecError::Truncated)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn lengths_use_the_minimal_form() {
        for (len, prefix) in [(0usize, 1usize), (63, 1), (64, 2), (16383, 2), (16384, 4)] {
            let mut out = Vec::new();
            push_opaque(&mut out, &vec![7; len]).unwrap();
            assert_eq!(out.len(), len + prefix, "{len}");
            let (content, rest) = take_opaque(&out, usize::MAX).unwrap();
            assert_eq!(content.len(), len);
            assert!(rest.is_empty());
        }
    }

    #[test]
    fn non_minimal_and_reserved_lengths_are_refused() {
        assert_eq!(take_opaque(&[0x40, 0x01, 0], 10), Err(VecError::BadLength));
        assert_eq!(
            take_opaque(&[0x80, 0, 0, 1, 0], 10),
            Err(VecError::BadLength)
        );
        assert_eq!(
            take_opaque(&[0xc0, 0, 0, 0, 0, 0, 0, 1], 10),
            Err(VecError::BadLength)
        );
    }

    #[test]
    fn truncated_and_oversized_vectors_are_refused() {
        assert_eq!(take_opaque(&[], 10), Err(VecError::Truncated));
        assert_eq!(take_opaque(&[0x05, 1, 2], 10), Err(VecError::Truncated));
        assert_eq!(take_opaque(&[0x41], 10), Err(VecError::Truncated));
        assert_eq!(take_opaque(&[0x3f], 10), Err(VecError::TooLong));
    }
}
