//! Archive files for the engine to import, made from fuzz input.
//!
//! The archive reader (`liaison_core::archive::format`: header, STREAM
//! chunks, records) is private to the engine; its public entry points are
//! [`liaison_core::inspect_archive`] (the header alone) and
//! `Engine::import_archive` (everything). Random bytes never get past the
//! chunks' AES-256-GCM, so [`ArchiveBench::seal`] writes a genuine archive
//! around fuzz input: a header addressed to the bench officer's
//! certificate (HPKE, so no Argon2id per input), then the input sealed as
//! chunks under the payload key, following `docs/archive.md`. The engine
//! then decodes the records and verifies the messages as it would for any
//! file. A seed that imports (see `examples/seeds.rs`) shows the two
//! encoders agree.
//!
//! Every `expect` here is on a fixture this harness builds itself from
//! constants (authorities, officers, keys, scratch files), never on fuzz
//! input: a failure is a broken harness, reported at once, not a finding.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ed25519_dalek::VerifyingKey;
use liaison_core::{ArchiveError, Engine, Fingerprint, ImportReport, ImportRequest, InitialTrust};
use liaison_proto::codec::Writer;
use openmls_rust_crypto::RustCrypto;
use openmls_traits::crypto::OpenMlsCrypto as _;
use openmls_traits::types::{
    AeadType, HashType, HpkeAeadType, HpkeConfig, HpkeKdfType, HpkeKemType,
};
use sha2::{Digest, Sha256};

use crate::{registry, verify_at, world};

/// The first bytes of every archive file.
pub const MAGIC: &[u8; 16] = b"LIAISON ARCHIVE\n";
const FORMAT_VERSION: u8 = 1;
const KIND_CERTIFICATE: u8 = 2;
const HPKE_INFO: &[u8] = b"liaison archive v1 file key";
const CHECK_INFO: &[u8] = b"liaison archive v1 key check";
const PAYLOAD_INFO: &[u8] = b"liaison archive v1 payload";
/// The bench's root secret; any value does.
const ROOT: [u8; 32] = [0x5a; 32];
/// Creation time written in bench headers (the verification instant).
const CREATED_AT_MS: u64 = crate::VERIFY_AT_SECS * 1000;

/// An officer's engine on a scratch SQLCipher store, and the archive file
/// it reads.
pub struct ArchiveBench {
    dir: PathBuf,
    engine: Engine,
    recipient: [u8; 32],
    public_x25519: [u8; 32],
}

thread_local! {
    static BENCH: RefCell<Option<ArchiveBench>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's bench, made on first use.
pub fn with_bench<R>(f: impl FnOnce(&mut ArchiveBench) -> R) -> R {
    BENCH.with(|cell| {
        let mut slot = cell.borrow_mut();
        f(slot.get_or_insert_with(ArchiveBench::new))
    })
}

impl ArchiveBench {
    /// A fresh officer (of a fresh authority) with an empty store in a
    /// scratch directory, its clock fixed at [`verify_at`].
    pub fn new() -> Self {
        remove_stale_dirs();
        let dir = std::env::temp_dir().join(format!("liaison-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        let nation = world::nation("GBR");
        let officer = world::officer(&nation, "gbr-bench", "NATO SECRET");
        let store = liaison_core::danger::create_with_raw_key(dir.join("profile.db"), &[7u8; 32])
            .expect("a scratch store");
        let recipient = *Fingerprint::of(officer.chain.leaf()).as_bytes();
        let public_x25519 = VerifyingKey::from_bytes(&officer.device.public_key())
            .expect("an Ed25519 key")
            .to_montgomery()
            .to_bytes();
        let mut engine = Engine::create_profile(
            store,
            Arc::clone(registry()),
            &officer.id,
            officer.chain.clone(),
            officer.device,
            // Archives are verified against their own authorities: the
            // bench joins nothing, so it pins nothing.
            &InitialTrust::onboarding(Vec::new()),
        )
        .expect("a profile");
        engine.set_clock(Arc::new(verify_at));
        Self {
            dir,
            engine,
            recipient,
            public_x25519,
        }
    }

    /// The engine.
    pub fn engine(&mut self) -> &mut Engine {
        &mut self.engine
    }

    /// Where [`import`](Self::import) writes the file.
    pub fn path(&self) -> PathBuf {
        self.dir.join("input.archive")
    }

    /// The header (magic to end of header) of an archive for this bench's
    /// officer, and the payload key it binds.
    fn header(&self, archive_id: [u8; 16], chunk_size: u32) -> (Vec<u8>, Vec<u8>) {
        let crypto = RustCrypto::default();
        let sealed = crypto
            .hpke_seal(
                HpkeConfig(
                    HpkeKemType::DhKem25519,
                    HpkeKdfType::HkdfSha256,
                    HpkeAeadType::AesGcm256,
                ),
                &self.public_x25519,
                HPKE_INFO,
                &archive_id,
                &ROOT,
            )
            .expect("HPKE seal");
        let key_check = hkdf(&archive_id, &ROOT, CHECK_INFO, 16);
        let mut body = Writer::new();
        body.raw(&archive_id)
            .u64(CREATED_AT_MS)
            .string("NATO SECRET//REL TO DEU, FRA, GBR")
            .u8(KIND_CERTIFICATE)
            .raw(&self.recipient)
            .bytes(sealed.kem_output.as_slice())
            .bytes(sealed.ciphertext.as_slice())
            .raw(&key_check)
            .u32(chunk_size);
        let mut header = Writer::new();
        header
            .raw(MAGIC)
            .u8(FORMAT_VERSION)
            .bytes(&body.into_bytes());
        let header = header.into_bytes();
        let payload_key = hkdf(&Sha256::digest(&header), &ROOT, PAYLOAD_INFO, 32);
        (header, payload_key)
    }

    /// A whole archive file: a header for this bench's officer, then
    /// `plaintext` sealed in chunks of `chunk_size` bytes (the last one
    /// possibly empty, as the engine writes them).
    pub fn seal(&self, archive_id: [u8; 16], chunk_size: u32, plaintext: &[u8]) -> Vec<u8> {
        let (mut file, key) = self.header(archive_id, chunk_size);
        let crypto = RustCrypto::default();
        let size = usize::try_from(chunk_size).unwrap_or(usize::MAX).max(1);
        let full = plaintext.len() / size;
        for index in 0..=full {
            let last = index == full;
            let start = index * size;
            let end = if last { plaintext.len() } else { start + size };
            let sealed = crypto
                .aead_encrypt(
                    AeadType::Aes256Gcm,
                    &key,
                    &plaintext[start..end],
                    &nonce(index as u64, last),
                    &[],
                )
                .expect("AES-GCM");
            file.extend_from_slice(&(sealed.len() as u32).to_be_bytes());
            file.extend_from_slice(&sealed);
        }
        file
    }

    /// A header for this bench's officer followed by `chunks` as they are
    /// (for fuzzing the chunk framing itself).
    pub fn with_raw_chunks(&self, archive_id: [u8; 16], chunk_size: u32, chunks: &[u8]) -> Vec<u8> {
        let (mut file, _) = self.header(archive_id, chunk_size);
        file.extend_from_slice(chunks);
        file
    }

    /// Writes `file` and imports it (no passphrase: a passphrase header is
    /// refused before any Argon2id work).
    pub fn import(&mut self, file: &[u8]) -> Result<ImportReport, ArchiveError> {
        let path = self.path();
        std::fs::write(&path, file).expect("writing the scratch archive");
        self.engine.import_archive(
            &ImportRequest {
                path,
                passphrase: None,
            },
            &mut |_| {},
        )
    }
}

impl Default for ArchiveBench {
    fn default() -> Self {
        Self::new()
    }
}

/// An archive id for fuzz input: distinct inputs import as distinct archives.
pub fn archive_id_of(data: &[u8]) -> [u8; 16] {
    let digest = Sha256::digest(data);
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    id
}

fn nonce(index: u64, last: bool) -> [u8; 12] {
    let mut nonce = [0u8; 12];
    nonce[3..11].copy_from_slice(&index.to_be_bytes());
    nonce[11] = u8::from(last);
    nonce
}

fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8], len: usize) -> Vec<u8> {
    let crypto = RustCrypto::default();
    let prk = crypto
        .hkdf_extract(HashType::Sha2_256, salt, ikm)
        .expect("HKDF extract");
    crypto
        .hkdf_expand(HashType::Sha2_256, prk.as_slice(), info, len)
        .expect("HKDF expand")
        .as_slice()
        .to_vec()
}

/// Scratch directories of fuzzing processes that have ended (libFuzzer
/// exits without running destructors, so each process leaves its own).
fn remove_stale_dirs() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("liaison-fuzz-")) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
