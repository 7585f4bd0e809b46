//! Chunked authenticated encryption (the STREAM construction of Hoang,
//! Reyhanitabar, Rogaway and Vizár): the plaintext is cut into chunks, each
//! sealed with AES-256-GCM under the payload key with a nonce made of its
//! index and a last-chunk flag. A flipped byte fails its chunk; reordered,
//! dropped or repeated chunks fail their nonce; a file cut at a chunk
//! boundary fails the last-chunk flag; bytes appended after the last chunk
//! make it no longer last, and fail too.
//!
//! On disk each chunk is `u32` ciphertext length (big-endian), then the
//! ciphertext with its 16-byte tag.

use std::io::{BufRead, Write};

use openmls_rust_crypto::RustCrypto;
use openmls_traits::crypto::OpenMlsCrypto as _;
use openmls_traits::types::AeadType;
use zeroize::Zeroizing;

use super::keys::PayloadKey;
use crate::archive::error::ArchiveError;

const AEAD: AeadType = AeadType::Aes256Gcm;
/// AES-GCM tag length.
pub(crate) const TAG_LEN: usize = 16;

fn nonce(index: u64, last: bool) -> [u8; 12] {
    let mut nonce = [0u8; 12];
    nonce[3..11].copy_from_slice(&index.to_be_bytes());
    nonce[11] = u8::from(last);
    nonce
}

/// Seals plaintext into chunks as it is written.
pub(crate) struct ChunkWriter<W: Write> {
    out: W,
    key: PayloadKey,
    crypto: RustCrypto,
    chunk_size: usize,
    buffer: Zeroizing<Vec<u8>>,
    index: u64,
    written: u64,
}

impl<W: Write> ChunkWriter<W> {
    pub(crate) fn new(out: W, key: PayloadKey, chunk_size: u32) -> Self {
        let chunk_size = usize::try_from(chunk_size).unwrap_or(usize::MAX);
        Self {
            out,
            key,
            crypto: RustCrypto::default(),
            chunk_size,
            buffer: Zeroizing::new(Vec::with_capacity(chunk_size)),
            index: 0,
            written: 0,
        }
    }

    /// Appends plaintext, sealing every chunk that fills up.
    pub(crate) fn write_all(&mut self, mut data: &[u8]) -> Result<(), ArchiveError> {
        while !data.is_empty() {
            let room = self.chunk_size - self.buffer.len();
            let (now, later) = data.split_at(room.min(data.len()));
            self.buffer.extend_from_slice(now);
            data = later;
            if self.buffer.len() == self.chunk_size {
                self.seal(false)?;
            }
        }
        Ok(())
    }

    /// Seals what is left as the last chunk (possibly empty) and returns
    /// the output and the number of bytes written through this writer.
    pub(crate) fn finish(mut self) -> Result<(W, u64), ArchiveError> {
        self.seal(true)?;
        Ok((self.out, self.written))
    }

    fn seal(&mut self, last: bool) -> Result<(), ArchiveError> {
        let sealed = self
            .crypto
            .aead_encrypt(
                AEAD,
                self.key.as_bytes(),
                &self.buffer,
                &nonce(self.index, last),
                &[],
            )
            .map_err(|_| ArchiveError::Crypto("sealing a chunk"))?;
        let len = u32::try_from(sealed.len())
            .map_err(|_| ArchiveError::Crypto("sealing an oversized chunk"))?;
        self.out
            .write_all(&len.to_be_bytes())
            .and_then(|()| self.out.write_all(&sealed))
            .map_err(|e| ArchiveError::io("archive", e))?;
        self.written += 4 + u64::try_from(sealed.len()).unwrap_or(u64::MAX);
        self.buffer.clear();
        self.index += 1;
        Ok(())
    }
}

/// Opens chunks as their plaintext is read. Nothing unauthenticated is ever
/// handed out.
pub(crate) struct ChunkReader<R: BufRead> {
    input: R,
    key: PayloadKey,
    crypto: RustCrypto,
    chunk_size: usize,
    plain: Zeroizing<Vec<u8>>,
    position: usize,
    index: u64,
    finished: bool,
}

impl<R: BufRead> ChunkReader<R> {
    pub(crate) fn new(input: R, key: PayloadKey, chunk_size: u32) -> Self {
        Self {
            input,
            key,
            crypto: RustCrypto::default(),
            chunk_size: usize::try_from(chunk_size).unwrap_or(usize::MAX),
            plain: Zeroizing::new(Vec::new()),
            position: 0,
            index: 0,
            finished: false,
        }
    }

    /// Fills `out` with the next plaintext bytes. The content ending first
    /// means a record was cut short by its writer.
    pub(crate) fn read_exact(&mut self, out: &mut [u8]) -> Result<(), ArchiveError> {
        let mut filled = 0;
        while filled < out.len() {
            if self.position == self.plain.len() {
                if self.finished {
                    return Err(ArchiveError::MalformedContent(
                        "the content ends inside a record".into(),
                    ));
                }
                self.open_next()?;
                continue;
            }
            let available = self.plain.get(self.position..).unwrap_or(&[]);
            let want = out.len() - filled;
            let take = want.min(available.len());
            if let (Some(dst), Some(src)) =
                (out.get_mut(filled..filled + take), available.get(..take))
            {
                dst.copy_from_slice(src);
            }
            filled += take;
            self.position += take;
        }
        Ok(())
    }

    /// Whether all content has been read: the last chunk was opened and
    /// consumed. Opens chunks ahead as needed (empty chunks included).
    pub(crate) fn at_end(&mut self) -> Result<bool, ArchiveError> {
        while self.position == self.plain.len() {
            if self.finished {
                return Ok(true);
            }
            self.open_next()?;
        }
        Ok(false)
    }

    fn open_next(&mut self) -> Result<(), ArchiveError> {
        let mut len = [0u8; 4];
        read_fully(&mut self.input, &mut len)?;
        let len = usize::try_from(u32::from_be_bytes(len)).unwrap_or(usize::MAX);
        if len < TAG_LEN || len > self.chunk_size.saturating_add(TAG_LEN) {
            return Err(ArchiveError::Tampered { chunk: self.index });
        }
        let mut sealed = vec![0u8; len];
        read_fully(&mut self.input, &mut sealed)?;
        let last = self
            .input
            .fill_buf()
            .map_err(|e| ArchiveError::io("archive", e))?
            .is_empty();
        let opened = self.crypto.aead_decrypt(
            AEAD,
            self.key.as_bytes(),
            &sealed,
            &nonce(self.index, last),
            &[],
        );
        let plain = match opened {
            Ok(plain) => plain,
            Err(_) => {
                // A chunk that opens as a middle chunk but sits at the end of
                // the file: everything after it was cut off.
                let as_middle = self.crypto.aead_decrypt(
                    AEAD,
                    self.key.as_bytes(),
                    &sealed,
                    &nonce(self.index, false),
                    &[],
                );
                return Err(if last && as_middle.is_ok() {
                    ArchiveError::Truncated
                } else {
                    ArchiveError::Tampered { chunk: self.index }
                });
            }
        };
        if !last && plain.len() != self.chunk_size {
            return Err(ArchiveError::MalformedContent(
                "a chunk other than the last is not full".into(),
            ));
        }
        self.plain = Zeroizing::new(plain);
        self.position = 0;
        self.index += 1;
        self.finished = last;
        Ok(())
    }
}

/// Reads exactly `out.len()` bytes; the file ending first is truncation.
fn read_fully(input: &mut impl BufRead, out: &mut [u8]) -> Result<(), ArchiveError> {
    input.read_exact(out).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => ArchiveError::Truncated,
        _ => ArchiveError::io("archive", e),
    })
}
