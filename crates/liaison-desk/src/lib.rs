//! The desktop application's runtime: everything the Liaison window needs,
//! usable and tested without a window.
//!
//! A [`Desk`] owns one data directory ([`DeskHome`]): the profile's
//! SQLCipher store, its protection record and the settings. It moves
//! between three phases — no profile, locked, unlocked — and, once
//! unlocked, runs a background runtime that keeps the profile in sync with
//! the relay and reports through [`DeskEvent`]s. Every read works from the
//! local store with the relay down; a message sent offline waits in the
//! outbox (shown as pending) until the relay is back.
//!
//! The methods mirror the window's commands (declared in
//! `src-tauri/src/commands/list.rs`, `Commands` in the UI); the Tauri shell
//! only forwards them. Their results are view models ([`views`])
//! and their errors [`DeskError`]s with an [`ErrorKind`] the window
//! switches on. `docs/desktop.md` describes the whole.

mod archive;
mod attempts;
mod audit;
mod channels;
mod compose;
mod config;
mod create;
mod error;
mod events;
mod files;
mod home;
mod idle;
mod label_spec;
mod label_view;
mod members;
mod pem;
mod pin;
mod policy;
mod policy_check;
mod profile;
mod requests;
mod retention;
mod runtime;
mod secret;
mod session;
mod settings;
mod shared;
mod thread;
mod trust;
pub mod views;

#[cfg(test)]
mod contract;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;

pub use attempts::{FIRST_DELAY, FREE_ATTEMPTS, MAX_DELAY};
pub use compose::MAX_BODY_BYTES;
pub use config::{
    AuthorityIssuer, CertificateSubject, DeskConfig, IssueError, Issuer, RelayTimings,
};
pub use error::{AppError, DeskError, ErrorKind};
pub use events::{AcksEvent, DeskEvent, EventSink, MessagesEvent, Notice, ignore_events};
pub use files::{
    DialogSpec, FileGrantError, FileGrants, FilePurpose, FileToken, GrantedFile, MAX_GRANTS,
};
pub use home::DeskHome;
pub use pin::{MAX_PIN_LEN, MIN_PIN_LEN};
pub use requests::{
    AcceptInvitationRequest, AuditRequest, ExerciseProfileRequest, ExportArchiveRequest,
    ExportProtection, ImportArchiveRequest, ImportProfileRequest, NewChannelRequest, SearchRequest,
    SendRequest,
};
pub use settings::{Language, MAX_IDLE_LOCK_MINUTES, Settings};
pub use thread::MAX_PAGE;

use idle::Locking;
use shared::Shared;
use views::{AppPhase, AppStatus, ConnectionState, FileChoice};

use liaison_core::ChannelId;

/// The desktop application's state: one profile home, locked or unlocked.
pub struct Desk {
    config: DeskConfig,
    home: DeskHome,
    /// The session slot, the chosen files and the idle clock, shared with
    /// the idle watcher.
    locking: Arc<Locking>,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}

impl Desk {
    /// A desk over `config.home`; nothing is opened until [`Desk::unlock`]
    /// or a profile is created.
    pub fn new(config: DeskConfig) -> Self {
        let home = DeskHome::new(config.home.clone());
        let locking = Arc::new(Locking::new(config.events.clone(), home.settings_path()));
        Self {
            config,
            home,
            locking,
        }
    }

    /// The data directory.
    pub fn home(&self) -> &DeskHome {
        &self.home
    }

    /// The phase, the profile once unlocked, and the UI language.
    pub async fn status(&self) -> Result<AppStatus, DeskError> {
        let language = self.settings().map(|s| s.language).unwrap_or_default();
        let session = self.locking.session.lock().await;
        let (phase, profile, protection, new_pin) = match &*session {
            Some(session) => (
                AppPhase::Unlocked,
                Some(session.profile.clone()),
                Some(session.profile.protection),
                false,
            ),
            None => match self.home.record()? {
                Some(record) => (
                    AppPhase::Locked,
                    None,
                    Some(record.protection.kind()),
                    record.protection.needs_new_pin(),
                ),
                None => (AppPhase::NoProfile, None, None, false),
            },
        };
        Ok(AppStatus {
            phase,
            demo: self.config.demo,
            profile,
            protection,
            new_pin,
            language: language.code().to_owned(),
        })
    }

    /// Locks the profile: stops the runtime, closes the store and drops the
    /// engine with its keys, and revokes every chosen file's token.
    /// Locking a locked profile does nothing.
    pub async fn lock(&self) -> Result<(), DeskError> {
        self.locking
            .lock(None, liaison_core::LockReason::Officer)
            .await;
        Ok(())
    }

    /// The officer is at the keyboard: the window calls this, throttled,
    /// on keyboard and mouse input, and the idle lock starts counting
    /// again. Past the idle delay it locks instead (a laptop waking from
    /// sleep). Does nothing while locked.
    pub async fn still_here(&self) {
        self.locking.lock_if_idle().await;
        if self.locking.session.lock().await.is_some() {
            self.locking.touch();
        }
    }

    /// The relay connection state (offline while locked).
    pub async fn connection_state(&self) -> ConnectionState {
        match &*self.locking.session.lock().await {
            Some(session) => session.shared.state(),
            None => ConnectionState::Offline,
        }
    }

    /// The settings (defaults before any were saved).
    pub fn settings(&self) -> Result<Settings, DeskError> {
        Settings::load(&self.home.settings_path())
    }

    /// Checks and saves the settings. A new relay address takes effect at
    /// once: the runtime reconnects.
    pub async fn save_settings(&self, settings: Settings) -> Result<Settings, DeskError> {
        settings.validate()?;
        let before = self.settings().unwrap_or_default();
        self.home.ensure_dir()?;
        settings.save(&self.home.settings_path())?;
        if before.relay_url != settings.relay_url && self.config.relay_url.is_none() {
            let mut slot = self.locking.session.lock().await;
            if let Some(session) = slot.as_mut() {
                session
                    .restart(&self.config, Some(settings.relay_url.clone()))
                    .await?;
            }
        }
        Ok(settings)
    }

    /// Grants a file the officer chose in a native dialog for `purpose`:
    /// the window receives a token for it and its name, not its path.
    /// Only the shell calls this, with the path the dialog returned.
    pub fn grant_file(&self, purpose: FilePurpose, path: PathBuf) -> Result<FileChoice, DeskError> {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let token = self
            .locking
            .files
            .grant(purpose, path)
            .map_err(|e| e.for_field("purpose"))?;
        Ok(FileChoice::Chosen { token, name })
    }

    /// The chosen file behind `token` in request field `field`, for
    /// `purpose`; consumed by the caller once its operation succeeded.
    fn chosen_file(
        &self,
        token: &FileToken,
        purpose: FilePurpose,
        field: &'static str,
    ) -> Result<GrantedFile<'_>, DeskError> {
        self.locking
            .files
            .checkout(token, purpose)
            .map_err(|e| e.for_field(field))
    }

    /// The unlocked profile's shared state, or why there is none. Every
    /// command on the profile passes here: past the idle delay it locks
    /// first; otherwise it counts as the officer's activity.
    async fn shared(&self) -> Result<Arc<Shared>, DeskError> {
        self.locking.lock_if_idle().await;
        match &*self.locking.session.lock().await {
            Some(session) => {
                self.locking.touch();
                Ok(Arc::clone(&session.shared))
            }
            None => match self.home.record()? {
                Some(_) => Err(DeskError::Locked),
                None => Err(DeskError::NoProfile),
            },
        }
    }

    /// The relay URL in force: the override (environment, demo), else the settings.
    fn relay_url(&self) -> Option<String> {
        self.config
            .relay_url
            .clone()
            .or_else(|| self.settings().ok().map(|s| s.relay_url))
            .filter(|url| !url.is_empty())
    }
}

/// Parses a hex channel id from the window.
pub(crate) fn parse_channel(hex_id: &str) -> Result<ChannelId, DeskError> {
    let bytes = hex::decode(hex_id)
        .ok()
        .filter(|b| !b.is_empty() && b.len() <= 255)
        .ok_or_else(|| DeskError::invalid("channelId", "not a channel identifier"))?;
    Ok(ChannelId(bytes))
}
