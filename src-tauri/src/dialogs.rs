//! Native file dialogs, opened by the shell itself.
//!
//! The window asks for a file by purpose only (`choose_file`); the dialog
//! runs here, and the path it returns is granted to the window as a token
//! (`Desk::grant_file`). No command takes a path from the webview, so web
//! content that took over the webview can name no file the officer did not
//! choose (docs/desktop.md, "Files").
//!
//! The end-to-end test drives the window through WebDriver, which cannot
//! reach a GTK dialog. A debug build with the `e2e` feature answers from a
//! queue instead when `LIAISON_E2E_DIALOG_ANSWERS` names a file of answers
//! at start-up ([`scripted`]); a build without the feature holds no such
//! code, and a release build refuses the feature.

use std::path::PathBuf;

use liaison_desk::{DeskError, FilePurpose, Language};
use tauri::{Manager as _, Runtime, WebviewWindow};
use tauri_plugin_dialog::{Dialog, FilePath};

#[cfg(all(feature = "e2e", not(debug_assertions)))]
compile_error!(
    "the `e2e` feature (scripted file dialogs) is for debug builds of the end-to-end test only"
);

/// The file the officer chose for `purpose`, or `None` when they closed
/// the dialog without choosing.
pub(crate) async fn choose<R: Runtime>(
    window: &WebviewWindow<R>,
    purpose: FilePurpose,
    language: Language,
) -> Result<Option<PathBuf>, DeskError> {
    #[cfg(any(test, feature = "e2e"))]
    if let Some(answers) = window.try_state::<scripted::Answers>() {
        return answers.next(purpose);
    }
    native(window, purpose, language).await
}

/// The platform's dialog (GTK on Linux), modal to the window.
async fn native<R: Runtime>(
    window: &WebviewWindow<R>,
    purpose: FilePurpose,
    language: Language,
) -> Result<Option<PathBuf>, DeskError> {
    let spec = purpose.dialog(language);
    let (sender, answer) = tokio::sync::oneshot::channel();
    let reply = move |picked: Option<FilePath>| {
        // The command may have been abandoned; nobody else waits.
        let _ = sender.send(picked);
    };
    {
        let dialog = window
            .try_state::<Dialog<R>>()
            .ok_or_else(|| DeskError::internal("the file dialog is not available"))?;
        let builder = dialog
            .file()
            .set_parent(window)
            .set_title(spec.title)
            .add_filter(spec.filter, spec.extensions);
        // The dialog runs on the main thread; the answer comes back here.
        if spec.save {
            let builder = match spec.file_name {
                Some(name) => builder.set_file_name(name),
                None => builder,
            };
            builder.save_file(reply);
        } else {
            builder.pick_file(reply);
        }
    }
    let picked = answer
        .await
        .map_err(|_| DeskError::internal("the file dialog ended without an answer"))?;
    picked
        .map(|file| {
            file.into_path().map_err(|e| {
                DeskError::internal(format!("the chosen file cannot be used here: {e}"))
            })
        })
        .transpose()
}

/// Scripted answers, for the end-to-end test and the shell's own tests.
#[cfg(any(test, feature = "e2e"))]
pub(crate) mod scripted {
    use std::collections::VecDeque;
    use std::path::PathBuf;
    use std::sync::{Mutex, PoisonError};

    use liaison_desk::{DeskError, FilePurpose};

    /// The environment variable naming the file of answers (`e2e` builds).
    #[cfg(feature = "e2e")]
    pub(crate) const ENV: &str = "LIAISON_E2E_DIALOG_ANSWERS";

    /// One dialog's answer: a path, or `None` for a cancelled dialog.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Answer {
        purpose: FilePurpose,
        path: Option<PathBuf>,
    }

    /// The queue of answers, in the order the dialogs will be opened.
    #[derive(Debug)]
    pub(crate) struct Answers {
        queue: Mutex<VecDeque<Answer>>,
    }

    impl Answers {
        /// Reads answers, one a line: the purpose as the window names it,
        /// a space, then an absolute path or `cancel`. Blank lines and
        /// lines starting with `#` are skipped.
        pub(crate) fn parse(text: &str) -> Result<Self, String> {
            let mut queue = VecDeque::new();
            for (number, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let at = |why: &str| format!("dialog answers, line {}: {why}", number + 1);
                let (name, rest) = line
                    .split_once(char::is_whitespace)
                    .ok_or_else(|| at("expected `PURPOSE PATH` or `PURPOSE cancel`"))?;
                let purpose = FilePurpose::from_name(name)
                    .ok_or_else(|| at(&format!("unknown purpose {name:?}")))?;
                let rest = rest.trim();
                let path = if rest == "cancel" {
                    None
                } else {
                    let path = PathBuf::from(rest);
                    // Dialogs return absolute paths; a relative one would
                    // depend on the app's working directory.
                    if !path.is_absolute() {
                        return Err(at("the path must be absolute"));
                    }
                    Some(path)
                };
                queue.push_back(Answer { purpose, path });
            }
            Ok(Self {
                queue: Mutex::new(queue),
            })
        }

        /// The next answer, which must be for `purpose`.
        pub(crate) fn next(&self, purpose: FilePurpose) -> Result<Option<PathBuf>, DeskError> {
            let answer = self
                .queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop_front()
                .ok_or_else(|| DeskError::internal("no scripted file dialog answer is left"))?;
            if answer.purpose != purpose {
                return Err(DeskError::internal(format!(
                    "the scripted file dialog answer is for {}, the window asked for {}",
                    answer.purpose.name(),
                    purpose.name()
                )));
            }
            Ok(answer.path)
        }
    }

    /// Answers the app's dialogs from the file named by [`ENV`], when set.
    #[cfg(feature = "e2e")]
    pub(crate) fn install<R: tauri::Runtime>(app: &tauri::App<R>) -> Result<(), String> {
        use tauri::Manager as _;
        let Some(file) = std::env::var_os(ENV) else {
            return Ok(());
        };
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("{ENV} {}: {e}", PathBuf::from(&file).display()))?;
        app.manage(Answers::parse(&text)?);
        log::warn!(
            "file dialogs answer from {} ({ENV}): this is an end-to-end test build",
            PathBuf::from(&file).display()
        );
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        #![allow(clippy::unwrap_used)]

        use super::*;

        #[test]
        fn answers_come_in_order_and_only_for_their_purpose() {
            let answers = Answers::parse(
                "# onboarding\nopenCertificate cancel\n\nopenCertificate /tmp/e2e/smith chain.pem\nopenKey /tmp/e2e/key.pem\n",
            )
            .unwrap();
            assert_eq!(answers.next(FilePurpose::OpenCertificate).unwrap(), None);
            assert_eq!(
                answers.next(FilePurpose::OpenCertificate).unwrap(),
                Some(PathBuf::from("/tmp/e2e/smith chain.pem"))
            );
            let error = answers.next(FilePurpose::SaveArchive).unwrap_err();
            assert!(error.to_string().contains("openKey"), "{error}");
            let error = answers.next(FilePurpose::OpenKey).unwrap_err();
            assert!(error.to_string().contains("no scripted"), "{error}");
        }

        #[test]
        fn malformed_answers_are_refused_with_their_line() {
            for (text, why) in [
                ("openCertificate", "expected"),
                ("open /tmp/a.pem", "unknown purpose"),
                (
                    "openKey /k.pem\n\nsaveArchive archive.liaison",
                    "line 3: the path must be absolute",
                ),
            ] {
                let error = Answers::parse(text).unwrap_err();
                assert!(error.contains(why), "{text:?}: {error}");
            }
        }
    }
}
