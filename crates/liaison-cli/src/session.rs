//! Opening a profile: choose it, unlock its store, start the engine.

use std::path::PathBuf;
use std::sync::Arc;

use liaison_core::{Engine, KEYRING_SERVICE, KeyProtection, PolicyRegistry, Store};

use crate::context::Context;
use crate::error::CliError;
use crate::home::{
    ProfileConfig, StoredProtection, anchor_path, list_profiles, policies_dir, profile_dir,
    store_path,
};
use crate::pem_files::read_certificates;

/// An unlocked profile: its engine and settings.
#[derive(Debug)]
pub struct Session {
    /// The profile's name.
    pub name: String,
    /// The profile's directory.
    pub dir: PathBuf,
    /// The profile's settings.
    pub config: ProfileConfig,
    /// The engine on the profile's store.
    pub engine: Engine,
}

impl Session {
    /// Opens the profile the context names, or the only one there is.
    pub fn open(ctx: &Context) -> Result<Self, CliError> {
        let name = choose_profile(ctx)?;
        Self::open_named(ctx, &name)
    }

    /// Opens the named profile.
    pub fn open_named(ctx: &Context, name: &str) -> Result<Self, CliError> {
        let dir = existing_profile_dir(ctx, name)?;
        let config = ProfileConfig::read(&dir)?;
        let protection = key_protection(ctx, &config.protection)?;
        let store = Store::open(store_path(&dir), &protection)?;
        let mut engine = Engine::open(store, registry(ctx)?)?;
        if engine.upgraded_pins() {
            // A profile made before pinning existed: its own authority
            // lives beside the store, not in it.
            let anchor = anchor_path(&dir);
            if anchor.is_file() {
                engine.pin_own_authority_after_upgrade(&read_certificates(&anchor)?)?;
            }
        }
        Ok(Self {
            name: name.to_owned(),
            dir,
            config,
            engine,
        })
    }

    /// The relay URL: the command line's, else the profile's.
    pub fn relay_url<'a>(&'a self, ctx: &'a Context) -> Option<&'a str> {
        ctx.relay.as_deref().or(self.config.relay.as_deref())
    }
}

/// The profile named by the context, or the only profile under the home.
pub(crate) fn choose_profile(ctx: &Context) -> Result<String, CliError> {
    if let Some(name) = &ctx.profile {
        return Ok(name.clone());
    }
    let mut names = list_profiles(&ctx.home)?;
    match names.len() {
        0 => Err(CliError::NoProfiles),
        1 => Ok(names.remove(0)),
        _ => Err(CliError::ProfileNotChosen { available: names }),
    }
}

/// The directory of a profile that must exist.
pub(crate) fn existing_profile_dir(ctx: &Context, name: &str) -> Result<PathBuf, CliError> {
    let dir = profile_dir(&ctx.home, name)?;
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(CliError::ProfileNotFound {
            name: name.to_owned(),
        })
    }
}

/// How to unlock a store protected as `protection` says.
pub(crate) fn key_protection(
    ctx: &Context,
    protection: &StoredProtection,
) -> Result<KeyProtection, CliError> {
    match protection {
        StoredProtection::Keyring { account } => {
            Ok(KeyProtection::keyring(KEYRING_SERVICE, account))
        }
        StoredProtection::Passphrase => {
            let source = ctx
                .passphrase
                .as_ref()
                .ok_or(CliError::PassphraseRequired)?;
            Ok(KeyProtection::Passphrase {
                passphrase: source.read()?,
                params: ctx.kdf,
            })
        }
    }
}

/// The built-in label policies plus those under the home's `policies/`.
pub(crate) fn registry(ctx: &Context) -> Result<Arc<PolicyRegistry>, CliError> {
    let mut registry = PolicyRegistry::builtin();
    let dir = policies_dir(&ctx.home);
    if dir.is_dir() {
        registry.load_dir(&dir)?;
    }
    Ok(Arc::new(registry))
}
