//! Content-defined chunking: cut points chosen by the bytes around them,
//! not by their offset, so that inserting or removing bytes in one place
//! of a record leaves the chunks elsewhere unchanged.
//!
//! A gear hash (`h = (h << 1) + GEAR[byte]`) rolls over the data; its top
//! bits depend only on the last 64 bytes. A chunk ends where those bits are
//! all zero, once it is at least [`MIN`] long, and at [`MAX`] at the latest.
//! Chunks average about `MIN + 2^BITS` bytes.

use std::ops::Range;

/// Shortest chunk (except the last). The hash only rolls past this point,
/// so the larger it is against `2^BITS`, the fewer bytes are hashed: at 8
/// KiB and 12 bits, a third of the record (it was two thirds at 4 KiB and
/// 13 bits, for the same average chunk).
pub(super) const MIN: usize = 8 * 1024;
/// Longest chunk.
pub(super) const MAX: usize = 64 * 1024;
/// Top bits of the hash that must be zero at a cut point.
const BITS: u32 = 12;
/// Bytes the hash covers; hashing starts this far before [`MIN`].
const WINDOW: usize = 64;

/// 256 pseudo-random words (splitmix64 from a fixed seed). Any fixed table
/// works; it only has to stay the same between writes for unchanged data
/// to be cut the same way.
const GEAR: [u64; 256] = gear_table();

const fn gear_table() -> [u64; 256] {
    let mut table = [0u64; 256];
    let mut state: u64 = 0x4c69_6169_736f_6e21; // "Liaison!"
    let mut i = 0;
    while i < 256 {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        table[i] = z ^ (z >> 31);
        i += 1;
    }
    table
}

/// The chunks of `data`, as ranges covering it in order.
pub(super) fn chunks(data: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(data.len() / (MIN + (1 << BITS)) + 1);
    let mut start = 0;
    while start < data.len() {
        let rest = data.get(start..).unwrap_or_default();
        let len = cut(rest);
        out.push(start..start + len);
        start += len;
    }
    out
}

/// The length of the first chunk of `data` (non-empty).
fn cut(data: &[u8]) -> usize {
    if data.len() <= MIN {
        return data.len();
    }
    let limit = data.len().min(MAX);
    let mut hash: u64 = 0;
    let window = data.get(MIN - WINDOW..limit).unwrap_or_default();
    for (offset, &byte) in window.iter().enumerate() {
        hash = (hash << 1).wrapping_add(GEAR[usize::from(byte)]);
        if offset >= WINDOW && hash >> (64 - BITS) == 0 {
            return MIN - WINDOW + offset;
        }
    }
    limit
}
