//! The demo world: exercise authorities, the relay on 127.0.0.1, the
//! partner officers (bots) and their channels, kept in one data directory
//! and reused by every later start.

mod chatter;
mod history;
mod setup;
mod start;
mod welcome;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use liaison_core::{
    CertificateChain, ChannelId, DeviceKey, InitialTrust, PolicyRegistry, TrustAnchors,
};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::bot::{BotHandle, Command};
use crate::state::{IssuedOfficer, StateFile, WorldState};
use crate::{DemoError, ExerciseAuthority, ExerciseOfficer, LocalRelay, cast};

/// The bots' default think time before they answer.
pub const DEFAULT_REPLY_DELAY: Duration = Duration::from_millis(1500);
/// How often, on average, a bot speaks unprompted unless told otherwise.
pub const DEFAULT_CHATTER: Duration = Duration::from_secs(120);
/// How long a user's certificate from [`DemoWorld::issue_officer`] is valid.
const OFFICER_LIFETIME: Duration = Duration::from_secs(365 * 86_400);
/// How long [`DemoWorld::shutdown`] waits for a bot to finish its command.
const BOT_PATIENCE: Duration = Duration::from_secs(10);

/// How to run the demo world.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Where the world lives: authorities, relay storage and certificate,
    /// the partner officers' stores. Created if missing, reused if not.
    pub data_dir: PathBuf,
    /// How long the partner officers think before they acknowledge or
    /// answer.
    pub reply_delay: Duration,
}

impl DemoConfig {
    /// The world in `data_dir` with the default think time.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            reply_delay: DEFAULT_REPLY_DELAY,
        }
    }
}

/// A running exercise partnership: the relay, the exercise authorities and
/// the partner officers, on this machine.
pub struct DemoWorld {
    registry: Arc<PolicyRegistry>,
    authorities: BTreeMap<String, ExerciseAuthority>,
    relay: LocalRelay,
    bots: BTreeMap<&'static str, BotHandle>,
    channels: BTreeMap<String, ChannelId>,
    state_file: StateFile,
    state: Mutex<WorldState>,
    /// One welcome at a time: they commit in the same channels.
    welcoming: tokio::sync::Mutex<()>,
    chatter: watch::Sender<Option<Duration>>,
    chatter_task: JoinHandle<()>,
}

impl std::fmt::Debug for DemoWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoWorld")
            .field("relay", &self.relay.url())
            .field("channels", &self.channels.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl DemoWorld {
    /// The relay's URL, `wss://127.0.0.1:<port>/v1/ws`. The port may change
    /// from one start to the next (the previous one is tried first).
    pub fn relay_url(&self) -> String {
        self.relay.url()
    }

    /// The relay's development certificate (PEM), to pin.
    pub fn relay_ca_pem(&self) -> &str {
        self.relay.certificate_pem()
    }

    /// The relay, for clients built by hand.
    pub fn relay(&self) -> &LocalRelay {
        &self.relay
    }

    /// The label policies the world uses.
    pub fn registry(&self) -> &Arc<PolicyRegistry> {
        &self.registry
    }

    /// The exercise authority of `nation` (alpha-3), if the world has one.
    pub fn authority(&self, nation: &str) -> Option<&ExerciseAuthority> {
        self.authorities.get(nation)
    }

    /// Every exercise authority: the relay trusts their officers.
    pub fn trust_anchors(&self) -> Result<TrustAnchors, DemoError> {
        crate::trust_anchors(self.authorities.values())
    }

    /// What a user's profile pins at onboarding in this world: every
    /// exercise authority, its own nation's and the partners', so the
    /// partners' channels are joined without asking.
    pub fn onboarding_trust(&self) -> InitialTrust {
        InitialTrust::onboarding(
            self.authorities
                .values()
                .map(|a| a.certificate_der().to_vec())
                .collect(),
        )
    }

    /// The partnership channels, by name.
    pub fn channels(&self) -> &BTreeMap<String, ChannelId> {
        &self.channels
    }

    /// The partner officers the bots play.
    pub fn partner_officers(&self) -> Vec<ExerciseOfficer> {
        cast::BOTS
            .iter()
            .map(|b| ExerciseOfficer::new(b.officer_id, b.display_name, b.nationality, b.clearance))
            .collect()
    }

    /// Certifies a new device for `officer` by the exercise authority of
    /// its nation, valid for a year. The world remembers the device, so
    /// [`welcome`](Self::welcome) adds this device (and replaces an earlier
    /// one of the same officer).
    pub fn issue_officer(
        &self,
        officer: &ExerciseOfficer,
    ) -> Result<(CertificateChain, DeviceKey), DemoError> {
        if cast::is_bot(&officer.officer_id) {
            return Err(DemoError::ReservedOfficerId(officer.officer_id.clone()));
        }
        let authority = self
            .authorities
            .get(&officer.nationality)
            .ok_or_else(|| DemoError::UnknownNation(officer.nationality.clone()))?;
        let device = DeviceKey::generate().map_err(|_| DemoError::Randomness)?;
        let chain = authority.issue(officer, &device, OFFICER_LIFETIME, &self.registry)?;
        let mut state = self.lock_state();
        let welcomed_key = state
            .officers
            .get(&officer.officer_id)
            .and_then(|o| o.welcomed_key.clone());
        state.officers.insert(
            officer.officer_id.clone(),
            IssuedOfficer {
                display_name: officer.display_name.clone(),
                nationality: officer.nationality.clone(),
                clearance: officer.clearance.clone(),
                device_key: hex::encode(device.public_key()),
                welcomed_key,
            },
        );
        self.state_file.save(&state)?;
        Ok((chain, device))
    }

    /// Has a bot send `count` routine messages to the channel named
    /// `channel_name` (benchmark histories; 100,000 take minutes). Returns
    /// once the relay holds them all.
    pub async fn seed_messages(&self, channel_name: &str, count: usize) -> Result<(), DemoError> {
        let channel = self.channel(channel_name)?;
        let spec = cast::channel_spec(channel_name)
            .ok_or_else(|| DemoError::UnknownChannel(channel_name.to_owned()))?;
        let bot = self.bot(spec.creator())?;
        bot.ask(|reply| Command::Seed {
            channel,
            count,
            reply,
        })
        .await
    }

    /// Sets how often, on average, a partner officer speaks unprompted in a
    /// channel a user is in; `None` keeps them quiet except to acknowledge
    /// and answer. Starts at [`DEFAULT_CHATTER`].
    pub fn set_chatter(&self, every: Option<Duration>) {
        self.chatter.send_replace(every);
    }

    /// Stops the bots, then the relay. Everything stays in the data
    /// directory for the next start.
    pub async fn shutdown(self) {
        self.chatter_task.abort();
        let _ = self.chatter_task.await;
        for (_, bot) in self.bots {
            bot.stop(BOT_PATIENCE).await;
        }
        if let Err(error) = self.relay.stop().await {
            tracing::warn!(%error, "the demo relay did not stop cleanly");
        }
    }

    fn channel(&self, name: &str) -> Result<ChannelId, DemoError> {
        self.channels
            .get(name)
            .cloned()
            .ok_or_else(|| DemoError::UnknownChannel(name.to_owned()))
    }

    fn bot(&self, officer_id: &str) -> Result<&BotHandle, DemoError> {
        self.bots
            .get(officer_id)
            .ok_or_else(|| DemoError::BotStopped(officer_id.to_owned()))
    }

    fn lock_state(&self) -> MutexGuard<'_, WorldState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Where the parts of a world live inside its data directory.
pub(crate) struct Layout {
    pub(crate) authorities: PathBuf,
    pub(crate) relay: PathBuf,
    pub(crate) officers: PathBuf,
}

impl Layout {
    pub(crate) fn new(data_dir: &Path) -> Self {
        Self {
            authorities: data_dir.join("authorities"),
            relay: data_dir.join("relay"),
            officers: data_dir.join("officers"),
        }
    }
}
