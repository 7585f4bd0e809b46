//! The first run: the partner officers get certificates and stores, and
//! the channels are opened with their bots as members.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use liaison_core::{
    ChannelId, ChannelPolicy, DeliveryService as _, DeviceKey, Engine, InitialTrust, Label,
    PolicyRegistry, RelayClient, commit_with_retry, flush_outbox, sync, top_up_key_packages,
};

use crate::cast::{self, BOTS, CHANNELS, ChannelSpec};
use crate::profile::KeptProfile;
use crate::{DemoError, ExerciseAuthority, ExerciseOfficer, LocalRelay};

/// How long the partner officers' certificates are valid.
const BOT_LIFETIME: Duration = Duration::from_secs(5 * 365 * 86_400);
/// Attempts at a commit that keeps losing the epoch race.
const COMMIT_ATTEMPTS: u32 = 5;

/// A partner officer ready to become a bot.
pub(super) struct Partner {
    pub(super) spec: &'static cast::BotSpec,
    pub(super) engine: Engine,
    pub(super) relay: RelayClient,
}

/// Creates every partner officer's profile in `dir`, connected to `relay`
/// with key packages published.
pub(super) async fn create_partners(
    dir: &Path,
    relay: &LocalRelay,
    authorities: &BTreeMap<String, ExerciseAuthority>,
    registry: &Arc<PolicyRegistry>,
) -> Result<BTreeMap<&'static str, Partner>, DemoError> {
    // Every partner officer pins the exercise's four authorities at
    // onboarding, so the bots join each other's channels without asking.
    let trust = InitialTrust::onboarding(
        authorities
            .values()
            .map(|a| a.certificate_der().to_vec())
            .collect(),
    );
    let mut partners = BTreeMap::new();
    for spec in &BOTS {
        let officer = ExerciseOfficer::new(
            spec.officer_id,
            spec.display_name,
            spec.nationality,
            spec.clearance,
        );
        let authority = authorities
            .get(spec.nationality)
            .ok_or_else(|| DemoError::UnknownNation(spec.nationality.to_owned()))?;
        let device = DeviceKey::generate().map_err(|_| DemoError::Randomness)?;
        let chain = authority.issue(&officer, &device, BOT_LIFETIME, registry)?;
        let mut engine = KeptProfile::new(dir, spec.officer_id).create(
            registry.clone(),
            spec.officer_id,
            chain.clone(),
            DeviceKey::from_seed(&device.to_seed()),
            &trust,
        )?;
        let client = relay.connect(chain, device).await?;
        top_up_key_packages(&mut engine, &client).await?;
        partners.insert(
            spec.officer_id,
            Partner {
                spec,
                engine,
                relay: client,
            },
        );
    }
    Ok(partners)
}

/// Opens every partner officer's existing profile in `dir` and connects it.
pub(super) async fn open_partners(
    dir: &Path,
    relay: &LocalRelay,
    registry: &Arc<PolicyRegistry>,
) -> Result<BTreeMap<&'static str, Partner>, DemoError> {
    let mut partners = BTreeMap::new();
    for spec in &BOTS {
        let engine = KeptProfile::new(dir, spec.officer_id).open(registry.clone())?;
        let chain = engine.certificate_chain().clone();
        let profile = engine.store().profile()?.ok_or_else(|| {
            DemoError::corrupt(dir, format!("{} has no profile", spec.officer_id))
        })?;
        let device = DeviceKey::from_seed(profile.device_key_seed.expose());
        let client = relay.connect(chain, device).await?;
        partners.insert(
            spec.officer_id,
            Partner {
                spec,
                engine,
                relay: client,
            },
        );
    }
    Ok(partners)
}

fn label(marking: &str, registry: &PolicyRegistry) -> Result<Label, DemoError> {
    Ok(Label::parse_marking(marking, registry)?)
}

/// Opens the demo's channels, each created by its first admin with its
/// other bots added, and has every bot join.
pub(super) async fn open_channels(
    partners: &mut BTreeMap<&'static str, Partner>,
    authorities: &BTreeMap<String, ExerciseAuthority>,
    registry: &PolicyRegistry,
) -> Result<BTreeMap<String, ChannelId>, DemoError> {
    let mut channels = BTreeMap::new();
    for spec in &CHANNELS {
        let channel = open_channel(spec, partners, authorities, registry).await?;
        channels.insert(spec.name.to_owned(), channel);
    }
    for partner in partners.values_mut() {
        sync(&mut partner.engine, &partner.relay).await?;
    }
    Ok(channels)
}

async fn open_channel(
    spec: &ChannelSpec,
    partners: &mut BTreeMap<&'static str, Partner>,
    authorities: &BTreeMap<String, ExerciseAuthority>,
    registry: &PolicyRegistry,
) -> Result<ChannelId, DemoError> {
    let nations = spec
        .nations
        .iter()
        .map(|n| {
            authorities
                .get(*n)
                .ok_or_else(|| DemoError::UnknownNation((*n).to_owned()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let policy = ChannelPolicy::new(
        spec.name,
        label(spec.ceiling, registry)?,
        label(spec.default_label, registry)?,
        spec.admins.iter().map(|a| (*a).to_owned()),
        crate::trust_anchors(nations)?,
    )?;
    let creator = partners
        .get_mut(spec.creator())
        .ok_or_else(|| DemoError::BotStopped(spec.creator().to_owned()))?;
    let channel = creator.engine.create_channel(policy)?;
    flush_outbox(&mut creator.engine, &creator.relay).await?;
    let mut packages = Vec::new();
    for officer in spec.bots().filter(|o| *o != spec.creator()) {
        packages.push(creator.relay.claim_key_package(officer).await?);
    }
    commit_with_retry(
        &mut creator.engine,
        &creator.relay,
        &channel,
        COMMIT_ATTEMPTS,
        |engine| engine.add_members(&channel, &packages),
    )
    .await?;
    Ok(channel)
}
