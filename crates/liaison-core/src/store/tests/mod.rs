#![allow(clippy::unwrap_used)]

mod audit_profile;
mod chunked;
mod keyring;
mod migrations;
mod mls;
mod msgpack;
mod open;
mod passphrase;
mod tables;
mod transaction;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{KdfParams, KeyProtection, Passphrase, Store, danger};

/// The raw key the tests' stores use.
const KEY: [u8; 32] = [0x5a; 32];

/// A fresh directory and the path of a not-yet-existing database in it.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.db");
    (dir, path)
}

/// A new store under [`KEY`], with its directory.
fn new_store() -> (tempfile::TempDir, Store) {
    let (dir, path) = scratch();
    let store = danger::create_with_raw_key(&path, &KEY).unwrap();
    (dir, store)
}

/// Every file in `dir` with the SHA-256 of its content, sorted by name: equal
/// fingerprints mean nothing was created, removed or changed.
fn fingerprint(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let content = std::fs::read(entry.path()).unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                Sha256::digest(&content).to_vec(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Argon2id parameters cheap enough for tests.
fn cheap_params() -> KdfParams {
    KdfParams::new(64, 1, 1).unwrap()
}

fn passphrase(text: &str) -> KeyProtection {
    KeyProtection::Passphrase {
        passphrase: Passphrase::new(text.to_owned()),
        params: cheap_params(),
    }
}
