//! Files of the demo world: written whole (a temporary file renamed over
//! the old one, so a crash leaves the old or the new file, never half of
//! one), and readable only by the user when they hold a key.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read as _, Write as _};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::DemoError;

/// Creates `dir` and its parents if missing.
pub(crate) fn ensure_dir(dir: &Path) -> Result<(), DemoError> {
    std::fs::create_dir_all(dir).map_err(|e| DemoError::io("creating", dir, e))
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

fn open_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)
}

/// Writes `contents` to `path` whole, readable by the user only.
pub(crate) fn write_secret(path: &Path, contents: &[u8]) -> Result<(), DemoError> {
    write_whole(path, contents)
}

/// Writes `contents` to `path` whole.
pub(crate) fn write_whole(path: &Path, contents: &[u8]) -> Result<(), DemoError> {
    if let Some(parent) = path.parent() {
        ensure_dir(parent)?;
    }
    let temporary = temporary_path(path);
    let written = (|| {
        let mut file = open_private(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()
    })();
    written.map_err(|e| DemoError::io("writing", &temporary, e))?;
    std::fs::rename(&temporary, path).map_err(|e| DemoError::io("replacing", path, e))
}

/// Reads a text file holding a secret; `None` when it does not exist.
pub(crate) fn read_secret(path: &Path) -> Result<Option<Zeroizing<String>>, DemoError> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(DemoError::io("opening", path, e)),
    };
    let mut text = Zeroizing::new(String::new());
    file.read_to_string(&mut text)
        .map_err(|e| DemoError::io("reading", path, e))?;
    Ok(Some(text))
}

/// Reads a file; `None` when it does not exist.
pub(crate) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, DemoError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(DemoError::io("reading", path, e)),
    }
}

/// Removes a directory the demo made, if present.
pub(crate) fn remove_dir(dir: &Path) -> Result<(), DemoError> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(DemoError::io("removing", dir, e)),
    }
}
