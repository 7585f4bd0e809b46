#![no_main]
//! Archive files as a user opens them: the plaintext header (magic,
//! version, archive id, marking, key slot, key check, chunk size) read by
//! `liaison_core::inspect_archive` from a file, then the whole file handed
//! to `Engine::import_archive`, which reads the header again and opens the
//! key slot (a certificate slot is checked against the profile's
//! certificate; a passphrase slot asks for the passphrase, so no Argon2id
//! work is done here).
//!
//! Asserts: no panic; what `inspect_archive` reports is well-formed; a
//! file `inspect_archive` refuses is refused by the import too.

use liaison_core::{ArchiveKeyKind, inspect_archive};
use liaison_fuzz::archive::with_bench;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    with_bench(|bench| {
        let path = bench.path();
        std::fs::write(&path, data).expect("writing the scratch archive");
        let info = inspect_archive(&path);
        if let Ok(info) = &info {
            assert_eq!(info.archive_id.len(), 32);
            if let ArchiveKeyKind::Certificate { recipient } = &info.key {
                assert_eq!(recipient.len(), 32 * 3 - 1);
            }
        }
        let imported = bench.import(data);
        if info.is_err() {
            assert!(
                imported.is_err(),
                "imported a file whose header does not read"
            );
        }
    });
});
