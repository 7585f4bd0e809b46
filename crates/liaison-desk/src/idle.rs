//! The idle lock, enforced here rather than by the window: the desk
//! records the officer's last activity (every command on the profile, and
//! `still_here`, which the window sends, throttled, on keyboard and mouse
//! input) and a watcher task locks the profile once the settings' idle
//! delay has passed without any: the runtime stops, the engine and its
//! store close, the keys are wiped and the `locked` event is emitted.
//!
//! Time is measured twice: on tokio's monotonic clock, which the watcher
//! sleeps on (and tests can pause), and on the wall clock, which keeps
//! running while the computer sleeps. Either one past the delay locks; the
//! watcher wakes at least every [`RECHECK`], so a suspended laptop locks
//! within that time of waking, and its first command already finds it
//! locked.

use liaison_core::{AuditEvent, LockReason};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::events::{DeskEvent, EventSink};
use super::files::FileGrants;
use super::session::Session;
use super::settings::Settings;

/// The longest the watcher sleeps before looking again (settings may have
/// changed, or the wall clock jumped after a suspend).
pub(crate) const RECHECK: Duration = Duration::from_secs(60);

/// The unlocked session, what goes with it, and the idle clock.
pub(crate) struct Locking {
    /// The unlocked profile, if any.
    pub(crate) session: Mutex<Option<Session>>,
    /// The files chosen in dialogs; revoked at every lock.
    pub(crate) files: FileGrants,
    /// The officer's last activity, on both clocks.
    last: std::sync::Mutex<(Instant, SystemTime)>,
    /// Moves on at every unlock and lock: a watcher of an earlier session
    /// stops when it sees another number.
    generation: AtomicU64,
    events: EventSink,
    settings_path: PathBuf,
}

/// What the idle clock says.
enum Idle {
    /// The delay has passed.
    Expired,
    /// Not before this instant.
    Until(Instant),
    /// The idle lock is off (delay 0).
    Off,
}

impl Locking {
    /// No session; the idle delay is read from `settings_path` each time.
    pub(crate) fn new(events: EventSink, settings_path: PathBuf) -> Self {
        Self {
            session: Mutex::new(None),
            files: FileGrants::new(),
            last: std::sync::Mutex::new((Instant::now(), SystemTime::now())),
            generation: AtomicU64::new(0),
            events,
            settings_path,
        }
    }

    /// The officer did something.
    pub(crate) fn touch(&self) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        *last = (Instant::now(), SystemTime::now());
    }

    /// A session was just put in the slot (the caller holds its lock):
    /// the clock starts, and a watcher for this session.
    pub(crate) fn started(self: &Arc<Self>) {
        self.touch();
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::spawn(watch(Arc::downgrade(self), generation));
    }

    /// Locks now if the officer has been idle longer than the delay.
    pub(crate) async fn lock_if_idle(&self) {
        if matches!(self.idle(), Idle::Expired) {
            self.lock(None, LockReason::Idle).await;
        }
    }

    /// Locks: takes the session out of the slot, revokes the chosen files,
    /// stops the runtime (the engine, its store and keys go with the last
    /// holder) and emits `locked`. With `only`, locks only if the session is
    /// still the one that watcher was started for. The lock and its
    /// `reason` are audited before the store closes.
    pub(crate) async fn lock(&self, only: Option<u64>, reason: LockReason) {
        let session = {
            let mut slot = self.session.lock().await;
            if only.is_some_and(|g| g != self.generation.load(Ordering::SeqCst)) {
                return;
            }
            self.generation.fetch_add(1, Ordering::SeqCst);
            slot.take()
        };
        if let Some(session) = session {
            {
                let engine = session.shared.engine().await;
                super::audit::record_session_event(&engine, &AuditEvent::Locked { reason });
            }
            // Whoever unlocks next chooses their files again.
            self.files.clear();
            session.close().await;
            (self.events)(DeskEvent::Locked);
        }
    }

    fn idle(&self) -> Idle {
        let minutes = Settings::load(&self.settings_path)
            .unwrap_or_default()
            .idle_lock_minutes;
        if minutes == 0 {
            return Idle::Off;
        }
        let delay = Duration::from_secs(u64::from(minutes) * 60);
        let (at, wall) = *self.last.lock().unwrap_or_else(|e| e.into_inner());
        let deadline = at + delay;
        let wall_idle = SystemTime::now()
            .duration_since(wall)
            .unwrap_or(Duration::ZERO);
        if Instant::now() >= deadline || wall_idle >= delay {
            Idle::Expired
        } else {
            Idle::Until(deadline)
        }
    }
}

/// Locks the session of `generation` once idle; ends when that session
/// ends (or the desk is dropped).
async fn watch(locking: Weak<Locking>, generation: u64) {
    loop {
        let wake = {
            let Some(locking) = locking.upgrade() else {
                return;
            };
            if locking.generation.load(Ordering::SeqCst) != generation {
                return;
            }
            let recheck = Instant::now() + RECHECK;
            match locking.idle() {
                Idle::Expired => {
                    tracing::info!("locking after the idle delay");
                    locking.lock(Some(generation), LockReason::Idle).await;
                    return;
                }
                Idle::Until(deadline) => deadline.min(recheck),
                Idle::Off => recheck,
            }
        };
        tokio::time::sleep_until(wake).await;
    }
}
