//! An unlocked profile: the engine behind its locks, the background
//! runtime, and who the user is.

use super::config::DeskConfig;
use super::error::DeskError;
use super::runtime::{RelayTarget, Runtime};
use super::shared::Shared;
use super::views::{ProfileView, ProtectionKind};
use liaison_core::{Engine, RelayClientConfig, RelayTrust, clearance_marking};
use liaison_identity::DeviceKey;
use liaison_rules::PolicyRegistry;
use std::sync::Arc;

/// An unlocked profile.
pub(crate) struct Session {
    pub(crate) shared: Arc<Shared>,
    runtime: Option<Runtime>,
    /// Enforces the retention periods at unlock and every hour.
    retention: tokio::task::JoinHandle<()>,
    pub(crate) profile: ProfileView,
}

impl Session {
    /// Starts the runtime for `engine`, connecting to `relay_url` if any.
    pub(crate) fn start(
        engine: Engine,
        protection: ProtectionKind,
        config: &DeskConfig,
        relay_url: Option<String>,
    ) -> Result<Self, DeskError> {
        let profile = profile_view(&engine, protection);
        let target = relay_target(&engine, config, relay_url)?;
        let shared = Shared::new(engine, config.events.clone());
        let runtime = Runtime::spawn(Arc::clone(&shared), target);
        let retention = tokio::spawn(super::retention::run(Arc::clone(&shared)));
        Ok(Self {
            shared,
            runtime: Some(runtime),
            retention,
            profile,
        })
    }

    /// Replaces the runtime (the relay URL changed).
    pub(crate) async fn restart(
        &mut self,
        config: &DeskConfig,
        relay_url: Option<String>,
    ) -> Result<(), DeskError> {
        if let Some(runtime) = self.runtime.take() {
            runtime.stop().await;
        }
        let target = {
            let engine = self.shared.engine().await;
            relay_target(&engine, config, relay_url)?
        };
        self.runtime = Some(Runtime::spawn(Arc::clone(&self.shared), target));
        Ok(())
    }

    /// Stops the runtime; the engine (store connection, device key) goes
    /// when the last handler holding it returns.
    pub(crate) async fn close(mut self) {
        self.retention.abort();
        if let Some(runtime) = self.runtime.take() {
            runtime.stop().await;
        }
    }
}

/// Where to connect, if a relay is configured and its trust can be set up.
fn relay_target(
    engine: &Engine,
    config: &DeskConfig,
    relay_url: Option<String>,
) -> Result<Option<RelayTarget>, DeskError> {
    let Some(url) = relay_url.filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let trust = match &config.relay_trust {
        Some(trust) => trust.clone(),
        None => match RelayTrust::system() {
            Ok(trust) => trust,
            Err(error) => {
                tracing::warn!(%error, "no relay trust; staying offline");
                return Ok(None);
            }
        },
    };
    let seed = engine
        .store()
        .profile()?
        .ok_or(DeskError::NoProfile)?
        .device_key_seed;
    let mut client = RelayClientConfig::new(url, trust);
    client.request_timeout = config.timings.request_timeout;
    client.connect_timeout = config.timings.connect_timeout;
    client.min_backoff = config.timings.min_backoff;
    client.max_backoff = config.timings.max_backoff;
    Ok(Some(RelayTarget {
        config: client,
        chain: engine.certificate_chain().clone(),
        key: DeviceKey::from_seed(seed.expose()),
    }))
}

/// Who the user is, read from their own certificate in their own store
/// (the channels verify it against their anchors; the root is not here).
pub(crate) fn profile_view(engine: &Engine, protection: ProtectionKind) -> ProfileView {
    match engine.certificate_chain().claimed_attributes() {
        Ok(officer) => ProfileView {
            officer_id: officer.officer_id().to_owned(),
            display_name: officer.display_name().to_owned(),
            organisation: officer.organisation().to_owned(),
            nationality: officer.nationality().to_string(),
            clearance: clearance_marking(officer.clearance(), engine.registry()),
            protection,
        },
        // Attributes this build cannot read still open the profile
        // (history stays readable).
        Err(_) => ProfileView {
            officer_id: engine.officer_id().to_owned(),
            display_name: engine.officer_id().to_owned(),
            organisation: String::new(),
            nationality: String::new(),
            clearance: String::new(),
            protection,
        },
    }
}

/// The built-in label policies plus those in the home's `policies/`.
pub(crate) fn registry(dir: &std::path::Path) -> Result<Arc<PolicyRegistry>, DeskError> {
    let mut registry = PolicyRegistry::builtin();
    if dir.is_dir() {
        registry
            .load_dir(dir)
            .map_err(|e| DeskError::internal(format!("loading label policies: {e}")))?;
    }
    Ok(Arc::new(registry))
}

impl Drop for Session {
    fn drop(&mut self) {
        // The task holds the engine: it must not outlive the session.
        self.retention.abort();
    }
}
