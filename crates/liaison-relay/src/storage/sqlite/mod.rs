//! The SQLite backend: one file next to the relay's certificate, WAL
//! journal, `synchronous = FULL` so that an answered `accepted` survives a
//! crash or power loss.

mod groups;
mod migrations;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::{KeyPackageCount, KeyPackageRecord, StorageError};

/// Relay state in one SQLite database.
///
/// One connection serialises every operation; each is a short transaction.
pub struct SqliteStorage {
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStorage").finish_non_exhaustive()
    }
}

/// Clamps a count or position into SQLite's signed integers.
pub(super) fn to_sql(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Reads a count or position back; negative values mean a damaged file.
pub(super) fn from_sql(value: i64, what: &'static str) -> Result<u64, StorageError> {
    u64::try_from(value).map_err(|_| StorageError::Corrupt(what))
}

impl SqliteStorage {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        let conn = Connection::open(path)?;
        Self::configure(conn)
    }

    /// Opens like [`open`](Self::open); with `durable` false, commits do
    /// not wait for the disk (`synchronous = NORMAL`): still safe against a
    /// crash, but a power cut may lose the last accepted messages. For
    /// throwaway relays only (`Config::durable_commits`).
    pub fn open_with(path: &Path, durable: bool) -> Result<Self, StorageError> {
        let storage = Self::open(path)?;
        if !durable {
            storage
                .lock()
                .pragma_update(None, "synchronous", "NORMAL")?;
        }
        Ok(storage)
    }

    /// An in-memory database, for tests.
    pub fn in_memory() -> Result<Self, StorageError> {
        Self::configure(Connection::open_in_memory()?)
    }

    fn configure(mut conn: Connection) -> Result<Self, StorageError> {
        // WAL keeps readers off the writer's back; FULL makes every commit
        // durable before the relay answers.
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::apply(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction half
        // done: rusqlite rolls back an unfinished transaction when dropped.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn count(conn: &Connection, officer_id: &str) -> Result<KeyPackageCount, StorageError> {
    let one_time: i64 = conn.query_row(
        "SELECT COUNT(*) FROM key_packages WHERE officer_id = ?1 AND last_resort = 0",
        [officer_id],
        |row| row.get(0),
    )?;
    let last_resort: i64 = conn.query_row(
        "SELECT COUNT(*) FROM key_packages WHERE officer_id = ?1 AND last_resort = 1",
        [officer_id],
        |row| row.get(0),
    )?;
    Ok(KeyPackageCount {
        one_time: u32::try_from(one_time)
            .map_err(|_| StorageError::Corrupt("key package count"))?,
        last_resort: last_resort > 0,
    })
}

impl SqliteStorage {
    pub(super) fn publish(
        &self,
        officer_id: &str,
        packages: &[KeyPackageRecord],
        max_one_time: u32,
        now: u64,
    ) -> Result<KeyPackageCount, StorageError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for package in packages {
            if package.last_resort {
                tx.execute(
                    "DELETE FROM key_packages WHERE officer_id = ?1 AND last_resort = 1",
                    [officer_id],
                )?;
            }
            tx.execute(
                "INSERT INTO key_packages (officer_id, hash_ref, package, last_resort, published_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (hash_ref) DO NOTHING",
                params![
                    officer_id,
                    package.hash_ref,
                    package.package,
                    package.last_resort,
                    to_sql(now)
                ],
            )?;
            tx.execute(
                "INSERT INTO key_package_owners (hash_ref, officer_id, published_at)
                 VALUES (?1, ?2, ?3)
                 ON CONFLICT (hash_ref) DO NOTHING",
                params![package.hash_ref, officer_id, to_sql(now)],
            )?;
        }
        let held = count(&tx, officer_id)?;
        if held.one_time > max_one_time {
            // Dropping the transaction rolls the whole batch back.
            return Err(StorageError::TooManyKeyPackages);
        }
        tx.commit()?;
        Ok(held)
    }

    pub(super) fn claim(&self, officer_id: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let one_time: Option<(i64, Vec<u8>)> = tx
            .query_row(
                "SELECT id, package FROM key_packages
                 WHERE officer_id = ?1 AND last_resort = 0 ORDER BY id LIMIT 1",
                [officer_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let package = match one_time {
            Some((id, package)) => {
                tx.execute("DELETE FROM key_packages WHERE id = ?1", [id])?;
                Some(package)
            }
            None => tx
                .query_row(
                    "SELECT package FROM key_packages WHERE officer_id = ?1 AND last_resort = 1",
                    [officer_id],
                    |row| row.get(0),
                )
                .optional()?,
        };
        tx.commit()?;
        Ok(package)
    }

    pub(super) fn counts(&self, officer_id: &str) -> Result<KeyPackageCount, StorageError> {
        count(&self.lock(), officer_id)
    }

    pub(super) fn owners(&self, hash_refs: &[Vec<u8>]) -> Result<Vec<String>, StorageError> {
        let conn = self.lock();
        let mut statement =
            conn.prepare_cached("SELECT officer_id FROM key_package_owners WHERE hash_ref = ?1")?;
        let mut owners = Vec::new();
        for hash_ref in hash_refs {
            if let Some(owner) = statement
                .query_row([hash_ref], |row| row.get::<_, String>(0))
                .optional()?
            {
                owners.push(owner);
            }
        }
        owners.sort();
        owners.dedup();
        Ok(owners)
    }

    pub(super) fn holders(&self, limit: u32) -> Result<Vec<(String, Vec<u8>)>, StorageError> {
        let conn = self.lock();
        let mut statement = conn.prepare_cached(
            "SELECT officer_id, package FROM key_packages
             WHERE id IN (SELECT max(id) FROM key_packages GROUP BY officer_id)
             ORDER BY officer_id LIMIT ?1",
        )?;
        let rows = statement.query_map([limit], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub(super) fn welcomes(
        &self,
        officer_id: &str,
        max_bytes: usize,
    ) -> Result<Vec<Vec<u8>>, StorageError> {
        let conn = self.lock();
        let mut statement =
            conn.prepare_cached("SELECT welcome FROM welcomes WHERE officer_id = ?1 ORDER BY id")?;
        let mut rows = statement.query([officer_id])?;
        let mut welcomes = Vec::new();
        let mut bytes = 0usize;
        while let Some(row) = rows.next()? {
            let welcome: Vec<u8> = row.get(0)?;
            bytes = bytes.saturating_add(welcome.len());
            if bytes > max_bytes && !welcomes.is_empty() {
                break;
            }
            welcomes.push(welcome);
        }
        Ok(welcomes)
    }

    /// Deletes the officer's Welcomes whose SHA-256 is in `hashes`. An
    /// officer has few Welcomes waiting, so they are hashed here rather
    /// than keeping a hash column.
    pub(super) fn drop_welcomes(
        &self,
        officer_id: &str,
        hashes: &[[u8; 32]],
    ) -> Result<usize, StorageError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let matching: Vec<i64> = {
            let mut statement =
                tx.prepare_cached("SELECT id, welcome FROM welcomes WHERE officer_id = ?1")?;
            let rows = statement.query_map([officer_id], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?))
            })?;
            let mut matching = Vec::new();
            for row in rows {
                let (id, welcome) = row?;
                let hash: [u8; 32] = Sha256::digest(&welcome).into();
                if hashes.contains(&hash) {
                    matching.push(id);
                }
            }
            matching
        };
        for id in &matching {
            tx.execute("DELETE FROM welcomes WHERE id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(matching.len())
    }
}

impl super::Storage for SqliteStorage {
    fn publish_key_packages(
        &self,
        officer_id: &str,
        packages: &[KeyPackageRecord],
        max_one_time: u32,
        now: u64,
    ) -> Result<KeyPackageCount, StorageError> {
        self.publish(officer_id, packages, max_one_time, now)
    }

    fn claim_key_package(&self, officer_id: &str) -> Result<Option<Vec<u8>>, StorageError> {
        self.claim(officer_id)
    }

    fn key_package_count(&self, officer_id: &str) -> Result<KeyPackageCount, StorageError> {
        self.counts(officer_id)
    }

    fn groups_of(
        &self,
        officer_id: &str,
        signature_key: &[u8],
    ) -> Result<Vec<Vec<u8>>, StorageError> {
        let conn = self.lock();
        let mut statement = conn.prepare_cached(
            "SELECT DISTINCT group_id FROM members
             WHERE officer_id = ?1 AND signature_key = ?2 AND until_seq IS NULL",
        )?;
        let groups = statement
            .query_map(rusqlite::params![officer_id, signature_key], |row| {
                row.get::<_, Vec<u8>>(0)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(groups)
    }

    fn members_of(&self, group_ids: &[Vec<u8>]) -> Result<Vec<String>, StorageError> {
        let conn = self.lock();
        let mut statement = conn.prepare_cached(
            "SELECT DISTINCT officer_id FROM members WHERE group_id = ?1 AND until_seq IS NULL",
        )?;
        let mut officers = Vec::new();
        for group_id in group_ids {
            for officer in statement.query_map([group_id], |row| row.get::<_, String>(0))? {
                officers.push(officer?);
            }
        }
        officers.sort();
        officers.dedup();
        Ok(officers)
    }

    fn key_package_namespaces(&self, officer_id: &str) -> Result<Vec<String>, StorageError> {
        let conn = self.lock();
        // Directory keys are `<authority hex>/<officer id>`; the hex holds
        // no `/`, so the officer id is what follows the first one.
        let mut statement = conn.prepare_cached(
            "SELECT DISTINCT officer_id FROM key_packages
             WHERE substr(officer_id, instr(officer_id, '/') + 1) = ?1 ORDER BY officer_id",
        )?;
        let keys = statement
            .query_map([officer_id], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(keys)
    }

    fn key_package_owners(&self, hash_refs: &[Vec<u8>]) -> Result<Vec<String>, StorageError> {
        self.owners(hash_refs)
    }

    fn create_group(&self, group: &super::NewGroup) -> Result<(), StorageError> {
        groups::create(&mut self.lock(), group)
    }

    fn group(&self, group_id: &[u8]) -> Result<Option<super::GroupRecord>, StorageError> {
        groups::load(&self.lock(), group_id)
    }

    fn append(&self, append: &super::Append) -> Result<liaison_proto::Seq, StorageError> {
        groups::append(&mut self.lock(), append)
    }

    fn windows(
        &self,
        group_id: &[u8],
        officer_id: &str,
        signature_key: &[u8],
    ) -> Result<Option<Vec<super::Window>>, StorageError> {
        groups::windows(&self.lock(), group_id, officer_id, signature_key)
    }

    fn deliveries(
        &self,
        group_id: &[u8],
        after: liaison_proto::Seq,
        until: Option<liaison_proto::Seq>,
        limit: u32,
        max_bytes: usize,
    ) -> Result<Vec<liaison_proto::Delivery>, StorageError> {
        groups::deliveries(&self.lock(), group_id, after, until, limit, max_bytes)
    }

    fn key_package_holders(&self, limit: u32) -> Result<Vec<(String, Vec<u8>)>, StorageError> {
        self.holders(limit)
    }

    fn welcomes(&self, officer_id: &str, max_bytes: usize) -> Result<Vec<Vec<u8>>, StorageError> {
        SqliteStorage::welcomes(self, officer_id, max_bytes)
    }

    fn drop_welcomes(&self, officer_id: &str, hashes: &[[u8; 32]]) -> Result<usize, StorageError> {
        SqliteStorage::drop_welcomes(self, officer_id, hashes)
    }

    fn put_rejoin_request(&self, request: &super::RejoinRecord) -> Result<(), StorageError> {
        groups::put_rejoin_request(&self.lock(), request)
    }

    fn rejoin_requests(
        &self,
        group_id: &[u8],
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StorageError> {
        groups::rejoin_requests(&self.lock(), group_id, limit)
    }

    fn expire(&self, now: u64, directory_horizon: u64) -> Result<super::Expired, StorageError> {
        groups::expire(&mut self.lock(), now, directory_horizon)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::SqliteStorage;

    fn synchronous(storage: &SqliteStorage) -> i64 {
        storage
            .lock()
            .query_row("PRAGMA synchronous", [], |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn commits_wait_for_the_disk_unless_the_relay_is_throwaway() {
        let dir = tempfile::tempdir().unwrap();
        let durable = SqliteStorage::open_with(&dir.path().join("a.db"), true).unwrap();
        assert_eq!(synchronous(&durable), 2, "FULL");
        let throwaway = SqliteStorage::open_with(&dir.path().join("b.db"), false).unwrap();
        assert_eq!(synchronous(&throwaway), 1, "NORMAL");
    }
}
