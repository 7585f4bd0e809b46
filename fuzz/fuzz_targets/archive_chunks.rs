#![no_main]
//! Archive content: the STREAM chunks and the records inside them
//! (manifest with the channel policy, messages with envelope, signature
//! and sender chain, end record), imported by `Engine::import_archive`
//! with every message verified offline.
//!
//! The input's first byte chooses the chunk size (16 to 2048 bytes, so
//! records straddle chunks) and, with its high bit, whether the rest is
//! sealed as the archive's plaintext (the records) or written as it is
//! after a valid header (the chunk framing: lengths, truncation, tags).
//! See `liaison_fuzz::archive` for how the file is made.
//!
//! Asserts: no panic; an import that succeeds counts every message once.

use liaison_fuzz::archive::{archive_id_of, with_bench};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let chunk_size = (u32::from(selector & 0x7f) + 1) * 16;
    let raw = selector & 0x80 != 0;
    with_bench(|bench| {
        let id = archive_id_of(data);
        let file = if raw {
            bench.with_raw_chunks(id, chunk_size, rest)
        } else {
            bench.seal(id, chunk_size, rest)
        };
        if let Ok(report) = bench.import(&file) {
            assert_eq!(
                report.messages,
                report.verified + report.unverified + report.tampered,
                "{report:?}"
            );
        }
    });
});
