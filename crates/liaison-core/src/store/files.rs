//! File-system chores around a store: private permissions, durable renames,
//! and cleaning up after a failed creation.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// The files SQLite may keep next to a database, by suffix.
const COMPANION_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// Creates a file readable and writable by the owner only. With `replace`
/// false, fails if the path exists (atomically: `O_EXCL`).
pub(crate) fn create_private(path: &Path, replace: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true);
    if replace {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Syncs the directory holding `path`, so a new or renamed entry survives a
/// power loss. Directories cannot be opened for syncing on Windows, where
/// renames are durable by themselves; there this does nothing.
pub(crate) fn sync_parent(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        File::open(parent)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The companion files SQLite may create next to the database at `db_path`.
pub(crate) fn companions(db_path: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    COMPANION_SUFFIXES.iter().map(move |suffix| {
        let mut name = db_path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

/// Removes stale companion files, which a new database must not inherit: a
/// left-over write-ahead log would otherwise be replayed into it.
pub(crate) fn remove_companions(db_path: &Path) -> io::Result<()> {
    for path in companions(db_path) {
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Best-effort removal of a half-created store: the database, its companions
/// and any extra file (the key-derivation file). Errors are ignored because the
/// caller is already reporting the error that made the creation fail.
pub(crate) fn remove_failed_store(db_path: &Path, extra: Option<&Path>) {
    let _ = fs::remove_file(db_path);
    let _ = remove_companions(db_path);
    if let Some(extra) = extra {
        let _ = fs::remove_file(extra);
    }
}
