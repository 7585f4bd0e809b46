//! The 256-bit data key of a store and how it is handed to SQLCipher.

use std::fmt;

use rusqlite::Connection;
use zeroize::Zeroizing;

use super::StoreError;

/// Length of a store's data key in bytes.
pub(crate) const KEY_LEN: usize = 32;

/// The SQLCipher key of one store: 256 random bits (or the Argon2id output in
/// passphrase mode). Wiped from memory when dropped; never printed.
pub(crate) struct DataKey(Zeroizing<[u8; KEY_LEN]>);

impl DataKey {
    /// Draws a fresh key from the operating system's random number generator.
    pub(crate) fn generate() -> Result<Self, StoreError> {
        let mut key = Self::zeroed();
        getrandom::fill(key.0.as_mut_slice()).map_err(|_| StoreError::Randomness)?;
        Ok(key)
    }

    /// A key of all zeros, to be filled in place so the secret is never copied.
    pub(crate) fn zeroed() -> Self {
        Self(Zeroizing::new([0; KEY_LEN]))
    }

    /// Copies a key out of a buffer of exactly [`KEY_LEN`] bytes.
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != KEY_LEN {
            return None;
        }
        let mut key = Self::zeroed();
        key.0.copy_from_slice(bytes);
        Some(key)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8; KEY_LEN] {
        &mut self.0
    }

    /// Applies the key to a freshly opened connection as a raw key, which
    /// skips SQLCipher's own (slow, and here pointless) PBKDF2 step.
    ///
    /// Must be the first statement on the connection. The statement text holds
    /// the key in hex, so it lives in wiped memory and is never put in the
    /// statement cache; a failure is reported without the SQLite error, whose
    /// message could quote the statement.
    pub(crate) fn apply(&self, conn: &Connection) -> Result<(), StoreError> {
        self.run_pragma(conn, "key")
    }

    /// Re-encrypts the open database under this key (SQLCipher's
    /// `PRAGMA rekey`, one transaction: the file holds the old key or the
    /// new one, never a mix). Same care for the statement text as
    /// [`Self::apply`].
    pub(crate) fn rekey(&self, conn: &Connection) -> Result<(), StoreError> {
        self.run_pragma(conn, "rekey")
    }

    /// Runs `PRAGMA <pragma> = "x'<key in hex>'"` from wiped memory.
    fn run_pragma(&self, conn: &Connection, pragma: &str) -> Result<(), StoreError> {
        const PREFIX: &str = " = \"x'";
        const SUFFIX: &str = "'\";";
        let mut sql = Zeroizing::new(String::with_capacity(
            7 + pragma.len() + PREFIX.len() + 2 * KEY_LEN + SUFFIX.len(),
        ));
        sql.push_str("PRAGMA ");
        sql.push_str(pragma);
        sql.push_str(PREFIX);
        for byte in self.0.iter() {
            sql.push(hex_digit(byte >> 4));
            sql.push(hex_digit(byte & 0x0f));
        }
        sql.push_str(SUFFIX);
        conn.execute_batch(&sql)
            .map_err(|_| StoreError::KeyNotApplied)
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// Lower-case hex digit of a nibble, without a lookup that could go out of bounds.
fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble & 0x0f), 16).unwrap_or('0')
}
