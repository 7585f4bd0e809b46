//! Creating and opening a store: key, pragmas, migrations.

use std::cell::OnceCell;
use std::io;
use std::path::Path;
use std::time::Duration;

use keyring::Entry;
use openmls_sqlite_storage::SqliteStorageProvider;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::codec::StoreCodec;
use super::key::DataKey;
use super::keyring::KeyringSlot;
use super::migrations::{self, MIGRATIONS};
use super::passphrase::{KdfParams, KdfSetup, Passphrase, sidecar_path};
use super::rekey::open_derived;
use super::{KeyProtection, Store, StoreError, files};

/// How long a statement waits for another process holding the database lock
/// (a second instance on the same profile) before failing with "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Creates a new store at `path`, protected as `protection` says.
    ///
    /// Refuses an existing file ([`StoreError::AlreadyExists`]) and, in
    /// keyring mode, an existing keyring entry
    /// ([`StoreError::KeyringEntryExists`]). When creation fails, nothing it
    /// made is left behind.
    pub fn create(path: impl AsRef<Path>, protection: &KeyProtection) -> Result<Self, StoreError> {
        let path = path.as_ref();
        match protection {
            KeyProtection::Keyring { service, account } => {
                let slot = KeyringSlot { service, account };
                let entry = slot.entry()?;
                create_in_keyring(path, &slot, &entry)
            }
            KeyProtection::Passphrase { passphrase, params } => {
                let sidecar = sidecar_path(path);
                create_with(
                    path,
                    Some(&sidecar),
                    || {
                        let setup = KdfSetup::generate(*params)?;
                        let key = setup.derive_new(passphrase)?;
                        setup.write(path)?;
                        Ok(key)
                    },
                    |_| Ok(()),
                )
            }
            KeyProtection::KeyringPin {
                service,
                account,
                pin,
                params,
            } => {
                let slot = KeyringSlot { service, account };
                let entry = slot.entry()?;
                let sidecar = sidecar_path(path);
                let secret = OnceCell::new();
                create_with(
                    path,
                    Some(&sidecar),
                    || {
                        slot.ensure_vacant(&entry)?;
                        let drawn = secret.get_or_init(DataKey::generate);
                        let drawn = drawn.as_ref().map_err(|_| StoreError::Randomness)?;
                        let setup = KdfSetup::generate(*params)?;
                        let key = setup.derive_with_secret(pin, drawn)?;
                        setup.write(path)?;
                        Ok(key)
                    },
                    // Last, so a keyring failure leaves neither a key nor a database.
                    |_| match secret.get() {
                        Some(Ok(drawn)) => slot.store_key(&entry, drawn),
                        _ => Err(StoreError::Randomness),
                    },
                )
            }
        }
    }

    /// Opens the existing store at `path`.
    ///
    /// A key or passphrase that does not decrypt it gives
    /// [`StoreError::WrongKey`], and the file is left untouched. Pending schema
    /// migrations run before this returns.
    pub fn open(path: impl AsRef<Path>, protection: &KeyProtection) -> Result<Self, StoreError> {
        let path = path.as_ref();
        match protection {
            KeyProtection::Keyring { service, account } => {
                let slot = KeyringSlot { service, account };
                let entry = slot.entry()?;
                open_in_keyring(path, &slot, &entry)
            }
            KeyProtection::Passphrase { passphrase, .. } => {
                open_derived(path, |setup| setup.derive(passphrase))
            }
            KeyProtection::KeyringPin {
                service,
                account,
                pin,
                ..
            } => {
                let slot = KeyringSlot { service, account };
                let entry = slot.entry()?;
                ensure_exists(path)?;
                let secret = slot.load_key(&entry)?;
                open_derived(path, |setup| setup.derive_with_secret(pin, &secret))
            }
        }
    }

    /// Moves a store opened in keyring mode to keyring-and-PIN mode: a new
    /// salt, the key derived from `pin` keyed with the keyring secret under
    /// `service` and `account` (the one this store was opened with), the
    /// parameter file written, then the database re-encrypted with
    /// SQLCipher's `PRAGMA rekey`.
    ///
    /// A crash before the re-encryption leaves the store under its old key
    /// (the parameter file is then ignored and rewritten by the next try);
    /// one after it leaves a store that opens with
    /// [`KeyProtection::KeyringPin`]. The keyring entry is not changed.
    pub fn add_pin(
        &self,
        service: &str,
        account: &str,
        pin: &Passphrase,
        params: KdfParams,
    ) -> Result<(), StoreError> {
        let slot = KeyringSlot { service, account };
        let entry = slot.entry()?;
        let secret = slot.load_key(&entry)?;
        let setup = KdfSetup::generate(params)?;
        let key = setup.derive_with_secret(pin, &secret)?;
        setup.write(&self.path)?;
        key.rekey(&self.conn)?;
        Ok(())
    }
}

/// Creates a keyring-protected store whose key goes into `entry`.
pub(crate) fn create_in_keyring(
    path: &Path,
    slot: &KeyringSlot<'_>,
    entry: &Entry,
) -> Result<Store, StoreError> {
    create_with(
        path,
        None,
        || {
            slot.ensure_vacant(entry)?;
            DataKey::generate()
        },
        // Last, so a keyring failure leaves neither a key nor a database.
        |key| slot.store_key(entry, key),
    )
}

/// Opens a keyring-protected store whose key is read from `entry`.
pub(crate) fn open_in_keyring(
    path: &Path,
    slot: &KeyringSlot<'_>,
    entry: &Entry,
) -> Result<Store, StoreError> {
    ensure_exists(path)?;
    let key = slot.load_key(entry)?;
    open_keyed(path, &key)
}

/// Creates a store: reserves the file atomically, asks `prepare` for the key,
/// initialises the database, then runs `finish` (which records the key).
/// Any failure removes the database and `sidecar`.
pub(crate) fn create_with(
    path: &Path,
    sidecar: Option<&Path>,
    prepare: impl FnOnce() -> Result<DataKey, StoreError>,
    finish: impl FnOnce(&DataKey) -> Result<(), StoreError>,
) -> Result<Store, StoreError> {
    match files::create_private(path, false) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(StoreError::AlreadyExists {
                path: path.to_owned(),
            });
        }
        Err(e) => return Err(StoreError::io(path, e)),
    }
    let result = (|| {
        files::remove_companions(path).map_err(|e| StoreError::io(path, e))?;
        let key = prepare()?;
        let store = open_keyed(path, &key)?;
        files::sync_parent(path).map_err(|e| StoreError::io(path, e))?;
        finish(&key)?;
        Ok(store)
    })();
    if result.is_err() {
        files::remove_failed_store(path, sidecar);
    }
    result
}

pub(crate) fn ensure_exists(path: &Path) -> Result<(), StoreError> {
    match path.try_exists() {
        Ok(true) => Ok(()),
        Ok(false) => Err(StoreError::NotFound {
            path: path.to_owned(),
        }),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// Opens the database file at `path` (which must exist) with `key`.
pub(crate) fn open_keyed(path: &Path, key: &DataKey) -> Result<Store, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    // Before the key: a wrong key must not make SQLCipher log to stderr.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    key.apply(&conn)?;
    verify_key(&conn)?;
    configure(&conn)?;
    migrations::apply(&mut conn, MIGRATIONS)?;
    SqliteStorageProvider::<StoreCodec, &mut Connection>::new(&mut conn)
        .run_migrations()
        .map_err(|e| StoreError::MlsMigration(Box::new(e)))?;
    Ok(Store::from_parts(conn, path.to_owned()))
}

/// Proves the key by reading the schema: SQLCipher decrypts and checks the
/// HMAC of the first page. Reading writes nothing, so a wrong key leaves the
/// file as it was.
pub(crate) fn verify_key(conn: &Connection) -> Result<(), StoreError> {
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| {
        row.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => {
            Err(StoreError::WrongKey)
        }
        Err(e) => Err(e.into()),
    }
}

/// The connection settings every store runs with; `docs/store.md` says why.
pub(crate) fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Pragma {
            pragma: "journal_mode",
            wanted: "WAL",
        });
    }
    // FULL: in WAL mode, NORMAL may lose the last committed transactions on
    // power loss, which would roll MLS state back behind messages already
    // acknowledged to the relay.
    set_checked(conn, "synchronous", "FULL", 2)?;
    set_checked(conn, "foreign_keys", "ON", 1)?;
    set_checked(conn, "secure_delete", "ON", 1)?;
    set_checked(conn, "temp_store", "MEMORY", 2)?;
    // ON: the full-text index is kept in step with `messages` by triggers
    // that write into the FTS5 table, and SQLite refuses any virtual-table
    // write from a trigger while the schema is untrusted (FTS5 is not marked
    // innocuous). The schema can be trusted here: every page, the schema's
    // included, is authenticated by SQLCipher's HMAC under the store key, so
    // it is exactly what the embedded migrations wrote.
    set_checked(conn, "trusted_schema", "ON", 1)?;
    // The engine and openmls's storage provider together prepare a few dozen
    // distinct statements on the hot receive path; keep them all cached.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // openmls rewrites its group record (every member's credential, for
    // each kept past epoch: megabytes in a channel of 1,000) on every merge
    // and message; a 32 MiB page cache keeps it from spilling mid-transaction.
    conn.pragma_update(None, "cache_size", PAGE_CACHE_KIB)?;
    Ok(())
}

/// Page cache size, as SQLite's negative "KiB" form.
const PAGE_CACHE_KIB: i64 = -32 * 1024;

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 128;

/// Sets a pragma and reads it back, because SQLite ignores unknown values
/// silently.
fn set_checked(
    conn: &Connection,
    pragma: &'static str,
    value: &'static str,
    expected: i64,
) -> Result<(), StoreError> {
    conn.pragma_update(None, pragma, value)?;
    let actual: i64 = conn.pragma_query_value(None, pragma, |row| row.get(0))?;
    if actual == expected {
        Ok(())
    } else {
        Err(StoreError::Pragma {
            pragma,
            wanted: value,
        })
    }
}
