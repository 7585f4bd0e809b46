//! `liaison profile …`: device keys, creating, showing, unlocking and
//! deleting profiles.

use std::fs;
use std::io;
use std::path::Path;

use liaison_core::{
    CertificateChain, DeviceKey, Engine, InitialTrust, KEYRING_SERVICE, KeyProtection, Store,
    StoreError, delete_keyring_key,
};

use super::identity::{
    anchor_of, check_own_certificate, clearance_text, issue, load_authority, officer_attributes,
};
use crate::args::{KeygenArgs, ProfileCreateArgs, ProfileDeleteArgs, ProtectionArg};
use crate::context::Context;
use crate::error::CliError;
use crate::home::{
    ProfileConfig, StoredProtection, anchor_path, check_profile_name, create_private_dir,
    list_profiles, profile_dir, profiles_dir, store_path,
};
use crate::output::{
    DeletedView, KeygenView, ProfileListEntry, ProfileListView, ProfileView, UnlockView,
};
use crate::pem_files::{
    certificates_pem, device_key_pem, read_certificates, read_device_key, read_text,
    write_new_secret, write_public,
};
use crate::session::{Session, existing_profile_dir, registry};
use crate::time_text::rfc3339;

/// `liaison profile keygen`: a new device key in a file, for a certificate
/// request to a national authority.
pub fn keygen(args: &KeygenArgs) -> Result<KeygenView, CliError> {
    let key = DeviceKey::generate().map_err(|_| CliError::Randomness)?;
    write_new_secret(&args.out, device_key_pem(&key).as_bytes())?;
    Ok(KeygenView {
        key_file: args.out.display().to_string(),
        public_key: hex::encode(key.public_key()),
    })
}

/// The identity a new profile is made of.
struct NewIdentity {
    officer_id: String,
    chain: CertificateChain,
    device: DeviceKey,
    /// The officer's own authority, kept as `anchor.pem`.
    anchors: Option<Vec<Vec<u8>>>,
    /// What the profile pins at onboarding: the own authority, the CAs of
    /// an imported chain, and every `--partner`.
    trust: InitialTrust,
}

/// The certificates of every `--partner` file.
fn partner_certificates(args: &ProfileCreateArgs) -> Result<Vec<Vec<u8>>, CliError> {
    let mut out = Vec::new();
    for path in &args.partners {
        out.extend(read_certificates(path)?);
    }
    Ok(out)
}

fn exercise_identity(
    ctx: &Context,
    args: &ProfileCreateArgs,
    authority_file: &Path,
) -> Result<NewIdentity, CliError> {
    let authority = load_authority(authority_file)?;
    let officer_id = args
        .officer_id
        .clone()
        .ok_or_else(|| CliError::Usage("--officer-id is required with --authority".into()))?;
    let attributes = officer_attributes(&officer_id, &args.officer, &*registry(ctx)?)?;
    let device = DeviceKey::generate().map_err(|_| CliError::Randomness)?;
    let chain = issue(
        &authority,
        &attributes,
        &device.public_key(),
        args.officer.days,
    )?;
    let anchor = anchor_of(&authority);
    let mut pins = vec![anchor.clone()];
    pins.extend(partner_certificates(args)?);
    Ok(NewIdentity {
        officer_id,
        chain,
        device,
        anchors: Some(vec![anchor]),
        trust: InitialTrust::onboarding(pins),
    })
}

fn imported_identity(
    args: &ProfileCreateArgs,
    certificate: &Path,
    device_key: &Path,
) -> Result<NewIdentity, CliError> {
    let chain = CertificateChain::from_pem(&read_text(certificate)?)?;
    let device = read_device_key(device_key)?;
    if chain.leaf_public_key()? != device.public_key() {
        return Err(CliError::Usage(
            "the certificate was not issued for this device key".into(),
        ));
    }
    let claimed = chain.claimed_officer_id().ok_or_else(|| {
        CliError::bad_file(certificate, "the certificate names no officer id (UID)")
    })?;
    if let Some(id) = &args.officer_id
        && *id != claimed
    {
        return Err(CliError::Usage(format!(
            "the certificate is for {claimed:?}, not {id:?}"
        )));
    }
    let anchors = match &args.anchor {
        Some(path) => Some(read_certificates(path)?),
        None => None,
    };
    // The officer's own authority: `--anchor`, and any CA the chain file
    // carries above the officer's certificate.
    let mut pins = anchors.clone().unwrap_or_default();
    pins.extend(chain.issuers().iter().cloned());
    pins.extend(partner_certificates(args)?);
    Ok(NewIdentity {
        officer_id: claimed,
        chain,
        device,
        anchors,
        trust: InitialTrust::import(pins),
    })
}

/// How the new profile's key is protected, and how that is recorded.
fn new_protection(
    ctx: &Context,
    args: &ProfileCreateArgs,
) -> Result<(KeyProtection, StoredProtection), CliError> {
    let mode = args.protection.unwrap_or(if ctx.passphrase.is_some() {
        ProtectionArg::Passphrase
    } else {
        ProtectionArg::Keyring
    });
    match mode {
        ProtectionArg::Keyring => {
            let mut suffix = [0u8; 4];
            getrandom::fill(&mut suffix).map_err(|_| CliError::Randomness)?;
            let account = format!("{}-{}", args.name, hex::encode(suffix));
            Ok((
                KeyProtection::keyring(KEYRING_SERVICE, &account),
                StoredProtection::Keyring { account },
            ))
        }
        ProtectionArg::Passphrase => {
            let source = ctx
                .passphrase
                .as_ref()
                .ok_or(CliError::PassphraseRequired)?;
            Ok((
                KeyProtection::Passphrase {
                    passphrase: source.read()?,
                    params: ctx.kdf,
                },
                StoredProtection::Passphrase,
            ))
        }
    }
}

/// `liaison profile create`: an exercise identity issued on the spot
/// (`--authority`) or an imported certificate chain and device key.
pub fn create(ctx: &Context, args: &ProfileCreateArgs) -> Result<ProfileView, CliError> {
    check_profile_name(&args.name)?;
    let identity = match (&args.authority, &args.certificate, &args.device_key) {
        (Some(authority), None, None) => exercise_identity(ctx, args, authority)?,
        (None, Some(certificate), Some(key)) => imported_identity(args, certificate, key)?,
        _ => {
            return Err(CliError::Usage(
                "give either --authority FILE (exercise) or --certificate FILE and \
                 --device-key FILE (import)"
                    .into(),
            ));
        }
    };
    let (protection, stored) = new_protection(ctx, args)?;
    let profiles = profiles_dir(&ctx.home);
    fs::create_dir_all(&profiles).map_err(|e| CliError::io(&profiles, e))?;
    let dir = profile_dir(&ctx.home, &args.name)?;
    match create_private_dir(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(CliError::ProfileExists {
                name: args.name.clone(),
            });
        }
        Err(e) => return Err(CliError::io(&dir, e)),
    }
    let result = populate(ctx, args, &dir, identity, &protection, stored);
    if result.is_err() {
        let _ = fs::remove_dir_all(&dir);
    }
    let mut session = result?;
    if let Some(key_file) = &args.device_key
        && !args.keep_key_file
    {
        fs::remove_file(key_file).map_err(|e| CliError::io(key_file, e))?;
    }
    profile_view(&mut session)
}

/// Fills a fresh profile directory: store, identity, anchor, settings.
fn populate(
    ctx: &Context,
    args: &ProfileCreateArgs,
    dir: &Path,
    identity: NewIdentity,
    protection: &KeyProtection,
    stored: StoredProtection,
) -> Result<Session, CliError> {
    // A failed creation leaves nothing behind, and never touches a keyring
    // entry it did not make.
    let store = Store::create(store_path(dir), protection)?;
    let result = (|| {
        let engine = Engine::create_profile(
            store,
            registry(ctx)?,
            &identity.officer_id,
            identity.chain,
            identity.device,
            &identity.trust,
        )?;
        if let Some(anchors) = &identity.anchors {
            write_public(&anchor_path(dir), certificates_pem(anchors).as_bytes())?;
        }
        let config = ProfileConfig::new(stored.clone(), ctx.relay.clone());
        config.write(dir)?;
        Ok(Session {
            name: args.name.clone(),
            dir: dir.to_owned(),
            config,
            engine,
        })
    })();
    if result.is_err()
        && let StoredProtection::Keyring { account } = &stored
    {
        let _ = delete_keyring_key(KEYRING_SERVICE, account);
    }
    result
}

/// The view of an open profile.
pub fn profile_view(session: &mut Session) -> Result<ProfileView, CliError> {
    let engine = &session.engine;
    let chain = engine.certificate_chain();
    let created_at = engine
        .store()
        .profile()?
        .map(|p| rfc3339(p.created_at))
        .unwrap_or_default();
    let (certificate, attributes) = check_own_certificate(chain, &anchor_path(&session.dir))?;
    Ok(ProfileView {
        name: session.name.clone(),
        officer_id: engine.officer_id().to_owned(),
        display_name: attributes.as_ref().map(|a| a.display_name().to_owned()),
        organisation: attributes.as_ref().map(|a| a.organisation().to_owned()),
        nationality: attributes.as_ref().map(|a| a.nationality().to_string()),
        clearance: attributes
            .as_ref()
            .map(|a| clearance_text(a.clearance(), engine.registry())),
        certificate,
        device_public_key: hex::encode(chain.leaf_public_key()?),
        protection: protection_name(&session.config.protection).to_owned(),
        relay: session.config.relay.clone(),
        channels: engine.channels()?.len(),
        created_at,
        path: session.dir.display().to_string(),
    })
}

fn protection_name(protection: &StoredProtection) -> &'static str {
    match protection {
        StoredProtection::Keyring { .. } => "keyring",
        StoredProtection::Passphrase => "passphrase",
    }
}

/// `liaison profile show`
pub fn show(ctx: &Context) -> Result<ProfileView, CliError> {
    profile_view(&mut Session::open(ctx)?)
}

/// `liaison profile list`: read from the settings files, nothing unlocked.
pub fn list(ctx: &Context) -> Result<ProfileListView, CliError> {
    let mut profiles = Vec::new();
    for name in list_profiles(&ctx.home)? {
        let config = ProfileConfig::read(&profile_dir(&ctx.home, &name)?)?;
        profiles.push(ProfileListEntry {
            name,
            protection: protection_name(&config.protection).to_owned(),
            relay: config.relay,
        });
    }
    Ok(ProfileListView { profiles })
}

/// `liaison profile unlock`: opens the store, proving the key.
pub fn unlock(ctx: &Context) -> Result<UnlockView, CliError> {
    let session = Session::open(ctx)?;
    Ok(UnlockView {
        name: session.name.clone(),
        officer_id: session.engine.officer_id().to_owned(),
        unlocked: true,
    })
}

/// `liaison profile delete`: removes the keyring entry and the directory.
pub fn delete(ctx: &Context, args: &ProfileDeleteArgs) -> Result<DeletedView, CliError> {
    let dir = existing_profile_dir(ctx, &args.name)?;
    if !args.yes {
        return Err(CliError::Usage(
            "deleting a profile destroys its history for good; add --yes".into(),
        ));
    }
    let config = ProfileConfig::read(&dir)?;
    let mut keyring_entry_deleted = false;
    if let StoredProtection::Keyring { account } = &config.protection {
        match delete_keyring_key(KEYRING_SERVICE, account) {
            Ok(()) => keyring_entry_deleted = true,
            Err(StoreError::KeyMissing { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    fs::remove_dir_all(&dir).map_err(|e| CliError::io(&dir, e))?;
    Ok(DeletedView {
        name: args.name.clone(),
        keyring_entry_deleted,
    })
}
