//! Files the officer chose in a native dialog, as the window names them.
//!
//! The webview never sends a file system path. Were it trusted to, content
//! that took over the webview could have the app read any file the user
//! can read (a private key, into an error message or an archive) or write
//! an archive over any file the user can write. Instead the shell opens
//! the native dialog itself, from Rust, and grants the path the dialog
//! returned here for one [`FilePurpose`]. The window receives an opaque
//! [`FileToken`] and the file's name to show; the commands that read or
//! write files take the token.
//!
//! A token is refused when it is unknown, was used already, or was granted
//! for another purpose: a certificate chosen to be read can never become
//! the file an archive is written over. A successful operation consumes
//! its tokens; a failed one gives them back, so the officer can correct a
//! passphrase and try again without choosing the file again. At most
//! [`MAX_GRANTS`] tokens are outstanding (the oldest unused goes first),
//! and locking the profile revokes them all.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use super::error::{DeskError, sentence};
use super::settings::Language;

/// Most tokens outstanding at once. The window holds at most a few (the
/// export form: the archive and a recipient certificate); the cap only
/// bounds what a misbehaving window can make the shell remember.
pub const MAX_GRANTS: usize = 16;

/// Random bytes in a token.
const TOKEN_BYTES: usize = 16;

/// What a chosen file is for. Each opens its own kind of dialog, and a
/// token serves only the purpose it was granted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FilePurpose {
    /// A PEM certificate chain to read: the officer's own at import, a
    /// candidate member's, an archive recipient's.
    OpenCertificate,
    /// A PEM PKCS #8 private key to read (profile import).
    OpenKey,
    /// An archive file to import.
    OpenArchive,
    /// Where to write a new archive file.
    SaveArchive,
}

impl FilePurpose {
    /// Every purpose.
    pub const ALL: [Self; 4] = [
        Self::OpenCertificate,
        Self::OpenKey,
        Self::OpenArchive,
        Self::SaveArchive,
    ];

    /// The name the window uses (`FilePurpose` in types.ts).
    pub fn name(self) -> &'static str {
        match self {
            Self::OpenCertificate => "openCertificate",
            Self::OpenKey => "openKey",
            Self::OpenArchive => "openArchive",
            Self::SaveArchive => "saveArchive",
        }
    }

    /// The purpose of that name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// How the native dialog for this purpose looks, in `language`.
    pub fn dialog(self, language: Language) -> DialogSpec {
        let fr = language == Language::Fr;
        let (title, filter, extensions): (_, _, &'static [&'static str]) = match self {
            Self::OpenCertificate => (
                if fr {
                    "Choisir un certificat (PEM)"
                } else {
                    "Choose a certificate (PEM)"
                },
                if fr {
                    "Certificat PEM"
                } else {
                    "PEM certificate"
                },
                &["pem", "crt"],
            ),
            Self::OpenKey => (
                if fr {
                    "Choisir la clé privée (PEM)"
                } else {
                    "Choose the private key (PEM)"
                },
                if fr { "Clé PEM" } else { "PEM key" },
                &["pem", "key"],
            ),
            Self::OpenArchive => (
                if fr {
                    "Ouvrir une archive Liaison"
                } else {
                    "Open a Liaison archive"
                },
                if fr {
                    "Archive Liaison"
                } else {
                    "Liaison archive"
                },
                &["liaison"],
            ),
            Self::SaveArchive => (
                if fr {
                    "Enregistrer l'archive"
                } else {
                    "Save the archive"
                },
                if fr {
                    "Archive Liaison"
                } else {
                    "Liaison archive"
                },
                &["liaison"],
            ),
        };
        DialogSpec {
            title,
            filter,
            extensions,
            save: self == Self::SaveArchive,
            file_name: (self == Self::SaveArchive).then_some("archive.liaison"),
        }
    }
}

impl fmt::Display for FilePurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OpenCertificate => "to read a certificate",
            Self::OpenKey => "to read a private key",
            Self::OpenArchive => "to open an archive",
            Self::SaveArchive => "to save an archive",
        })
    }
}

/// The native dialog for a purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialogSpec {
    /// Window title.
    pub title: &'static str,
    /// Name of the file type filter.
    pub filter: &'static str,
    /// Extensions the filter shows, without the dot.
    pub extensions: &'static [&'static str],
    /// A save dialog (else an open dialog for one existing file).
    pub save: bool,
    /// The file name a save dialog suggests.
    pub file_name: Option<&'static str>,
}

/// An opaque reference to a file the officer chose in the shell's native
/// dialog, valid for one purpose: a string the window keeps and sends
/// back. The webview never sends a path: commands that read or write files
/// take one of these. A token is used up when its command succeeds; after
/// a failure (a wrong passphrase, say) it can be sent again.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
pub struct FileToken(String);

impl FileToken {
    /// The token as the window holds it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for FileToken {
    /// A token as the window sent it (checked only when used).
    fn from(token: &str) -> Self {
        Self(token.to_owned())
    }
}

impl fmt::Debug for FileToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only a prefix: enough to follow one in a log, not to replay it.
        let prefix: String = self.0.chars().take(6).collect();
        write!(f, "FileToken({prefix}…)")
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FileGrantError {
    /// Never granted, used already, revoked by a lock, or pushed out by
    /// newer choices.
    #[error("this file was not chosen here or was used already: choose it again")]
    Unknown,
    /// Granted for another purpose.
    #[error("this file was chosen {granted}, not {wanted}: choose it again")]
    WrongPurpose {
        /// What it was granted for.
        granted: FilePurpose,
        /// What it was offered for.
        wanted: FilePurpose,
    },
    /// Another operation is using it right now.
    #[error("this file is being used by another operation")]
    InUse,
    /// No randomness for a new token.
    #[error("no randomness for a file token: {0}")]
    Random(String),
}

impl FileGrantError {
    /// The desk error for a refused token in request field `field`.
    pub(crate) fn for_field(self, field: &'static str) -> DeskError {
        match self {
            Self::Random(_) => DeskError::internal(format!("choosing a file failed: {self}")),
            other => DeskError::invalid(field, sentence(&other)),
        }
    }
}

#[derive(Debug)]
struct Grant {
    purpose: FilePurpose,
    path: PathBuf,
    /// Order of granting, to push out the oldest.
    serial: u64,
    /// Checked out by an operation that has not finished.
    busy: bool,
}

#[derive(Debug, Default)]
struct Grants {
    next_serial: u64,
    by_token: HashMap<FileToken, Grant>,
}

/// The files the officer chose, by token.
#[derive(Debug, Default)]
pub struct FileGrants {
    grants: Mutex<Grants>,
}

impl FileGrants {
    /// No grants.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Grants> {
        // The map is left consistent at every step, so a panic elsewhere
        // while holding the lock does not make it unusable.
        self.grants.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Grants `path`, as returned by a native dialog, for `purpose`; the
    /// token is what the window may send back.
    pub fn grant(&self, purpose: FilePurpose, path: PathBuf) -> Result<FileToken, FileGrantError> {
        let mut bytes = [0_u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| FileGrantError::Random(e.to_string()))?;
        let token = FileToken(hex::encode(bytes));
        let mut grants = self.lock();
        while grants.by_token.len() >= MAX_GRANTS {
            let oldest = grants
                .by_token
                .iter()
                .filter(|(_, g)| !g.busy)
                .min_by_key(|(_, g)| g.serial)
                .map(|(t, _)| t.clone());
            match oldest {
                Some(oldest) => grants.by_token.remove(&oldest),
                // Every grant is in use: refuse rather than forget one.
                None => return Err(FileGrantError::InUse),
            };
        }
        let serial = grants.next_serial;
        grants.next_serial += 1;
        grants.by_token.insert(
            token.clone(),
            Grant {
                purpose,
                path,
                serial,
                busy: false,
            },
        );
        Ok(token)
    }

    /// The file behind `token` for `purpose`, held by the returned guard
    /// until the operation ends: [`GrantedFile::consume`] after success,
    /// dropped (the token stays usable) after a failure.
    pub fn checkout(
        &self,
        token: &FileToken,
        purpose: FilePurpose,
    ) -> Result<GrantedFile<'_>, FileGrantError> {
        let mut grants = self.lock();
        let grant = grants
            .by_token
            .get_mut(token)
            .ok_or(FileGrantError::Unknown)?;
        if grant.purpose != purpose {
            return Err(FileGrantError::WrongPurpose {
                granted: grant.purpose,
                wanted: purpose,
            });
        }
        if grant.busy {
            return Err(FileGrantError::InUse);
        }
        grant.busy = true;
        Ok(GrantedFile {
            grants: self,
            token: token.clone(),
            path: grant.path.clone(),
            consumed: false,
        })
    }

    /// Revokes every token (the profile was locked).
    pub fn clear(&self) {
        self.lock().by_token.clear();
    }

    /// How many tokens are outstanding.
    pub fn len(&self) -> usize {
        self.lock().by_token.len()
    }

    /// True when no token is outstanding.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A granted file, held by one operation.
#[derive(Debug)]
pub struct GrantedFile<'a> {
    grants: &'a FileGrants,
    token: FileToken,
    path: PathBuf,
    consumed: bool,
}

impl GrantedFile<'_> {
    /// The path the native dialog returned.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The operation succeeded: the token is used up.
    pub fn consume(mut self) {
        self.consumed = true;
        self.grants.lock().by_token.remove(&self.token);
    }
}

impl Drop for GrantedFile<'_> {
    fn drop(&mut self) {
        if !self.consumed {
            // The operation failed or was abandoned: the officer may try
            // again with the same file (unless a lock revoked it meanwhile).
            if let Some(grant) = self.grants.lock().by_token.get_mut(&self.token) {
                grant.busy = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn path(name: &str) -> PathBuf {
        PathBuf::from("/home/officer").join(name)
    }

    #[test]
    fn a_token_opens_the_file_it_was_granted_for_once() {
        let grants = FileGrants::new();
        let token = grants
            .grant(FilePurpose::OpenCertificate, path("smith.pem"))
            .unwrap();
        assert_eq!(token.as_str().len(), 2 * TOKEN_BYTES);
        let file = grants
            .checkout(&token, FilePurpose::OpenCertificate)
            .unwrap();
        assert_eq!(file.path(), path("smith.pem"));
        file.consume();
        assert_eq!(
            grants
                .checkout(&token, FilePurpose::OpenCertificate)
                .unwrap_err(),
            FileGrantError::Unknown
        );
        assert!(grants.is_empty());
    }

    #[test]
    fn a_token_of_another_purpose_is_refused() {
        let grants = FileGrants::new();
        let read = grants
            .grant(FilePurpose::OpenCertificate, path("smith.pem"))
            .unwrap();
        // A file chosen to be read never becomes one to write.
        assert_eq!(
            grants
                .checkout(&read, FilePurpose::SaveArchive)
                .unwrap_err(),
            FileGrantError::WrongPurpose {
                granted: FilePurpose::OpenCertificate,
                wanted: FilePurpose::SaveArchive,
            }
        );
        let save = grants
            .grant(FilePurpose::SaveArchive, path("cell.liaison"))
            .unwrap();
        for wanted in [
            FilePurpose::OpenCertificate,
            FilePurpose::OpenKey,
            FilePurpose::OpenArchive,
        ] {
            assert!(matches!(
                grants.checkout(&save, wanted),
                Err(FileGrantError::WrongPurpose { .. })
            ));
        }
        // The refusals used nothing up.
        grants
            .checkout(&read, FilePurpose::OpenCertificate)
            .unwrap();
        grants.checkout(&save, FilePurpose::SaveArchive).unwrap();
    }

    #[test]
    fn unknown_and_made_up_tokens_are_refused() {
        let grants = FileGrants::new();
        grants
            .grant(FilePurpose::OpenArchive, path("a.liaison"))
            .unwrap();
        for made_up in ["", "0", "/etc/passwd", &"0".repeat(2 * TOKEN_BYTES)] {
            assert_eq!(
                grants
                    .checkout(&FileToken::from(made_up), FilePurpose::OpenArchive)
                    .unwrap_err(),
                FileGrantError::Unknown,
                "{made_up:?}"
            );
        }
    }

    #[test]
    fn a_failed_operation_gives_the_token_back_and_one_in_use_is_not_lent_twice() {
        let grants = FileGrants::new();
        let token = grants
            .grant(FilePurpose::OpenArchive, path("a.liaison"))
            .unwrap();
        let first = grants.checkout(&token, FilePurpose::OpenArchive).unwrap();
        assert_eq!(
            grants
                .checkout(&token, FilePurpose::OpenArchive)
                .unwrap_err(),
            FileGrantError::InUse
        );
        drop(first);
        grants
            .checkout(&token, FilePurpose::OpenArchive)
            .unwrap()
            .consume();
        assert_eq!(
            grants
                .checkout(&token, FilePurpose::OpenArchive)
                .unwrap_err(),
            FileGrantError::Unknown
        );
    }

    #[test]
    fn tokens_are_distinct_capped_and_revoked_by_clear() {
        let grants = FileGrants::new();
        let first = grants
            .grant(FilePurpose::OpenKey, path("first.key"))
            .unwrap();
        let mut tokens = vec![first.clone()];
        for n in 0..MAX_GRANTS {
            tokens.push(
                grants
                    .grant(FilePurpose::OpenKey, path(&format!("{n}.key")))
                    .unwrap(),
            );
        }
        let distinct: std::collections::HashSet<_> = tokens.iter().collect();
        assert_eq!(distinct.len(), tokens.len());
        assert_eq!(grants.len(), MAX_GRANTS);
        // The oldest went first.
        assert_eq!(
            grants.checkout(&first, FilePurpose::OpenKey).unwrap_err(),
            FileGrantError::Unknown
        );
        let last = tokens.last().unwrap();
        let held = grants.checkout(last, FilePurpose::OpenKey).unwrap();
        grants.clear();
        assert!(grants.is_empty());
        // Ending an operation on a revoked token does not bring it back.
        drop(held);
        assert_eq!(
            grants.checkout(last, FilePurpose::OpenKey).unwrap_err(),
            FileGrantError::Unknown
        );
    }

    #[test]
    fn purpose_names_are_the_wire_names() {
        for purpose in FilePurpose::ALL {
            let wire = serde_json::to_value(purpose).unwrap();
            assert_eq!(wire, purpose.name());
            assert_eq!(FilePurpose::from_name(purpose.name()), Some(purpose));
        }
        assert_eq!(FilePurpose::from_name("open"), None);
        assert!(FilePurpose::SaveArchive.dialog(Language::En).save);
        assert!(!FilePurpose::OpenArchive.dialog(Language::Fr).save);
    }

    #[test]
    fn a_refused_token_names_its_field_and_debug_hides_it() {
        let error = FileGrantError::Unknown.for_field("keyFile");
        let app = error.to_app_error();
        assert_eq!(app.field.as_deref(), Some("keyFile"));
        assert!(app.message.starts_with("This file was not chosen here"));
        let token = FileToken::from("0123456789abcdef");
        assert_eq!(format!("{token:?}"), "FileToken(012345…)");
    }
}
