//! Creating, importing and unlocking the profile.

use std::sync::Arc;
use std::time::SystemTime;

use super::attempts::Attempts;
use super::config::CertificateSubject;
use super::error::DeskError;
use super::files::FilePurpose;
use super::home::{ProfileRecord, StoredProtection};
use super::pin::check_new_pin;
use super::requests::{ExerciseProfileRequest, ImportProfileRequest};
use super::session::{Session, registry};
use super::views::{ProfileView, ProtectionKind};
use super::{Desk, pem};
use liaison_core::AuditEvent;
use liaison_core::{
    Engine, InitialTrust, KeyProtection, Passphrase, Store, StoreError, delete_keyring_key,
};
use liaison_identity::{CertificateChain, DeviceKey, Nationality, TrustAnchors, verify_credential};
use liaison_rules::{Clearance, PolicyRegistry};
use zeroize::Zeroizing;

/// Longest passphrase accepted (Argon2 takes any length; this bounds work).
const MAX_PASSPHRASE_LEN: usize = 1024;

/// Checks a passphrase chosen for a new profile or at a change: not empty,
/// not absurdly long.
pub(crate) fn check_new_passphrase(passphrase: &str) -> Result<(), DeskError> {
    if passphrase.is_empty() {
        return Err(DeskError::invalid_coded(
            "passphrase",
            "passphraseMissing",
            "enter a passphrase",
        ));
    }
    if passphrase.len() > MAX_PASSPHRASE_LEN {
        return Err(DeskError::invalid_coded(
            "passphrase",
            "passphraseTooLong",
            "the passphrase is too long",
        ));
    }
    Ok(())
}

/// A new store's protection and its record.
fn new_protection(
    desk: &Desk,
    kind: ProtectionKind,
    passphrase: Option<String>,
    pin: Option<String>,
) -> Result<(KeyProtection, StoredProtection), DeskError> {
    match kind {
        ProtectionKind::Keyring => {
            let pin = Zeroizing::new(pin.unwrap_or_default());
            check_new_pin(&pin)?;
            let mut suffix = [0u8; 8];
            getrandom::fill(&mut suffix)
                .map_err(|_| DeskError::internal("drawing a keyring account name"))?;
            let account = format!("desktop-{}", hex::encode(suffix));
            let service = desk.config.keyring_service.clone();
            Ok((
                KeyProtection::KeyringPin {
                    service: service.clone(),
                    account: account.clone(),
                    pin: Passphrase::new(pin.to_string()),
                    params: desk.config.kdf,
                },
                StoredProtection::KeyringPin { service, account },
            ))
        }
        ProtectionKind::Passphrase => {
            let passphrase = passphrase.unwrap_or_default();
            check_new_passphrase(&passphrase)?;
            Ok((
                KeyProtection::Passphrase {
                    passphrase: Passphrase::new(passphrase),
                    params: desk.config.kdf,
                },
                StoredProtection::Passphrase,
            ))
        }
    }
}

/// A clearance level name ("NATO SECRET") in certificate form.
fn clearance_attribute(
    registry: &PolicyRegistry,
    level: &str,
) -> Result<liaison_identity::ClearanceAttribute, DeskError> {
    let unknown = || {
        DeskError::invalid(
            "clearance",
            format!("{level:?} is not a known clearance level"),
        )
    };
    let policy = registry
        .iter()
        .find(|policy| policy.level(level).is_some())
        .ok_or_else(unknown)?;
    let clearance = Clearance::builder(policy, level)
        .build()
        .map_err(|_| unknown())?;
    Ok(clearance.to_attribute())
}

/// Checks an issued chain (credential form) against its key. Returns the
/// officer id it names.
fn check_issued_chain(chain: &CertificateChain, key: &DeviceKey) -> Result<String, DeskError> {
    let leaf_key = chain
        .leaf_public_key()
        .map_err(|e| DeskError::Certificate(format!("The certificate is unusable: {e}.")))?;
    if leaf_key != key.public_key() {
        return Err(DeskError::Certificate(
            "The private key does not belong to the certificate.".into(),
        ));
    }
    let attributes = chain.claimed_attributes().map_err(|e| {
        DeskError::Certificate(format!(
            "The certificate is not a Liaison officer certificate: {e}."
        ))
    })?;
    Ok(attributes.officer_id().to_owned())
}

/// An imported chain in credential form, and the authorities it names:
/// when the file holds the chain up to its root, the chain is verified
/// against that root (signatures, validity, the Liaison profile) and the
/// root left out, as channels hold it as a trust anchor; the root and the
/// issuing CAs are the profile's own authorities, pinned at import.
fn imported_chain(
    chain: CertificateChain,
    key: &DeviceKey,
) -> Result<(CertificateChain, Vec<Vec<u8>>), DeskError> {
    check_issued_chain(&chain, key)?;
    let certificates = chain.certificates();
    let Some((root, path)) = certificates
        .split_last()
        .filter(|(_, path)| !path.is_empty())
    else {
        return Ok((chain, Vec::new()));
    };
    let anchors = TrustAnchors::new(vec![root.clone()]).map_err(|e| {
        DeskError::Certificate(format!("The authority certificate is unusable: {e}."))
    })?;
    let path = CertificateChain::from_der(path.to_vec())
        .map_err(|e| DeskError::Certificate(format!("The certificate chain is unusable: {e}.")))?;
    verify_credential(&path, &anchors, SystemTime::now(), &key.public_key())
        .map_err(|e| DeskError::Certificate(format!("The certificate is not valid: {e}.")))?;
    let mut authorities = vec![root.clone()];
    authorities.extend(path.issuers().iter().cloned());
    Ok((path, authorities))
}

impl Desk {
    /// Creates an exercise profile issued by the configured authority.
    pub async fn create_exercise_profile(
        &self,
        request: ExerciseProfileRequest,
    ) -> Result<ProfileView, DeskError> {
        let issuer = self.config.issuer.clone().ok_or_else(|| {
            DeskError::Forbidden(
                "Exercise profiles are issued only in demo mode; import your certificate instead."
                    .into(),
            )
        })?;
        let registry = registry(&self.home.policies_dir())?;
        let officer_id = request.officer_id.trim().to_owned();
        if officer_id.is_empty() {
            return Err(DeskError::invalid("officerId", "enter an officer id"));
        }
        let display_name = request.display_name.trim().to_owned();
        if display_name.is_empty() {
            return Err(DeskError::invalid("displayName", "enter a display name"));
        }
        let nationality = Nationality::new(request.nationality.trim()).map_err(|_| {
            DeskError::invalid("nationality", "use an ISO 3166 alpha-3 code such as GBR")
        })?;
        let officer = CertificateSubject {
            officer_id,
            display_name,
            nationality,
            clearance: clearance_attribute(&registry, request.clearance.trim())?,
            clearance_name: request.clearance.trim().to_owned(),
        };
        let (protection, stored) =
            new_protection(self, request.protection, request.passphrase, request.pin)?;
        let (chain, key) = issuer
            .issue(&officer)
            .map_err(|e| DeskError::Certificate(format!("{e}.")))?;
        let trust = InitialTrust::onboarding(issuer.authorities());
        self.create_profile(chain, key, trust, protection, stored, registry)
            .await
    }

    /// Creates a profile from a PEM certificate chain and private key, the
    /// files the officer chose in the open dialogs. Their tokens are
    /// consumed once the profile exists; after a failure (no keyring, say)
    /// they can be used again.
    pub async fn import_profile(
        &self,
        request: ImportProfileRequest,
    ) -> Result<ProfileView, DeskError> {
        let certificate = self.chosen_file(
            &request.certificate_file,
            FilePurpose::OpenCertificate,
            "certificateFile",
        )?;
        let key_file = self.chosen_file(&request.key_file, FilePurpose::OpenKey, "keyFile")?;
        let chain = pem::read_chain(certificate.path())?;
        let key = pem::read_device_key(key_file.path())?;
        let (chain, authorities) = imported_chain(chain, &key)?;
        let registry = registry(&self.home.policies_dir())?;
        let (protection, stored) =
            new_protection(self, request.protection, request.passphrase, request.pin)?;
        let trust = InitialTrust::import(authorities);
        let profile = self
            .create_profile(chain, key, trust, protection, stored, registry)
            .await?;
        certificate.consume();
        key_file.consume();
        Ok(profile)
    }

    async fn create_profile(
        &self,
        chain: CertificateChain,
        key: DeviceKey,
        trust: InitialTrust,
        protection: KeyProtection,
        stored: StoredProtection,
        registry: Arc<PolicyRegistry>,
    ) -> Result<ProfileView, DeskError> {
        let officer_id = check_issued_chain(&chain, &key)?;
        let mut slot = self.locking.session.lock().await;
        if slot.is_some() || self.home.record()?.is_some() {
            return Err(DeskError::Forbidden(
                "A profile already exists on this computer.".into(),
            ));
        }
        self.home.ensure_dir()?;
        self.home.remove_stale_store()?;
        let path = self.home.store_path();
        let kind = stored.kind();
        // Argon2id and the first migrations take a moment: off the async threads.
        let made = tokio::task::spawn_blocking(move || -> Result<Engine, DeskError> {
            let store = Store::create(path, &protection)?;
            let engine = Engine::create_profile(store, registry, &officer_id, chain, key, &trust)?;
            engine.store().record(
                None,
                &AuditEvent::ProfileCreated {
                    officer: officer_id.clone(),
                },
            )?;
            Ok(engine)
        })
        .await
        .map_err(|_| DeskError::internal("creating the profile stopped unexpectedly"))?;
        let engine = match made.and_then(|engine| {
            self.home
                .write_record(&ProfileRecord::new(stored.clone()))?;
            Ok(engine)
        }) {
            Ok(engine) => engine,
            Err(error) => {
                // Leave nothing half made: no store file, no keyring entry.
                let _ = self.home.remove_stale_store();
                if let StoredProtection::Keyring { service, account }
                | StoredProtection::KeyringPin { service, account } = &stored
                {
                    let _ = delete_keyring_key(service, account);
                }
                return Err(error);
            }
        };
        let session = Session::start(engine, kind, &self.config, self.relay_url())?;
        let profile = session.profile.clone();
        *slot = Some(session);
        self.locking.started();
        Ok(profile)
    }

    /// Opens the profile with `secret`: the PIN of a keyring profile, the
    /// passphrase of a passphrase profile. A keyring profile made before
    /// PINs takes the PIN the officer chooses now (checked like a new one)
    /// and is re-encrypted under it. Wrong secrets are throttled
    /// (`attempts.rs`). Unlocking an unlocked profile returns it.
    pub async fn unlock(&self, secret: Option<String>) -> Result<ProfileView, DeskError> {
        let mut slot = self.locking.session.lock().await;
        if let Some(session) = &*slot {
            return Ok(session.profile.clone());
        }
        let record = self.home.record()?.ok_or(DeskError::NoProfile)?;
        let attempts = Attempts::new(self.home.dir());
        attempts.check(SystemTime::now())?;
        let secret = Zeroizing::new(secret.unwrap_or_default());
        let kind = record.protection.kind();
        let opening = match &record.protection {
            StoredProtection::Keyring { service, account } => {
                check_new_pin(&secret)?;
                Opening::AddPin(KeyProtection::KeyringPin {
                    service: service.clone(),
                    account: account.clone(),
                    pin: Passphrase::new(secret.to_string()),
                    params: self.config.kdf,
                })
            }
            StoredProtection::KeyringPin { service, account } => {
                if secret.is_empty() {
                    return Err(DeskError::invalid_coded(
                        "pin",
                        "pinMissing",
                        "enter your PIN",
                    ));
                }
                Opening::Open(KeyProtection::KeyringPin {
                    service: service.clone(),
                    account: account.clone(),
                    pin: Passphrase::new(secret.to_string()),
                    params: self.config.kdf,
                })
            }
            StoredProtection::Passphrase => {
                if secret.is_empty() {
                    return Err(DeskError::invalid_coded(
                        "passphrase",
                        "passphraseMissing",
                        "enter your passphrase",
                    ));
                }
                Opening::Open(KeyProtection::Passphrase {
                    passphrase: Passphrase::new(secret.to_string()),
                    params: self.config.kdf,
                })
            }
        };
        drop(secret);
        let wrong = match record.protection {
            StoredProtection::Passphrase => DeskError::WrongPassphrase,
            _ => DeskError::WrongPin,
        };
        let registry = registry(&self.home.policies_dir())?;
        let path = self.home.store_path();
        let opened = tokio::task::spawn_blocking(move || opening.open(&path, registry))
            .await
            .map_err(|_| DeskError::internal("unlocking stopped unexpectedly"))?;
        let (engine, stored) = match opened {
            Ok(opened) => opened,
            Err(OpenError::Wrong) => {
                attempts.failed(SystemTime::now())?;
                return Err(wrong);
            }
            Err(OpenError::Desk(error)) => return Err(error),
        };
        let failed_attempts = attempts.failures();
        attempts.succeeded()?;
        super::audit::record_session_event(&engine, &AuditEvent::Unlocked { failed_attempts });
        if let Some(stored) = stored {
            engine.store().record(None, &AuditEvent::PinSet)?;
            self.home.write_record(&ProfileRecord::new(stored))?;
        }
        let session = Session::start(engine, kind, &self.config, self.relay_url())?;
        let profile = session.profile.clone();
        *slot = Some(session);
        self.locking.started();
        Ok(profile)
    }
}

/// How a locked profile is opened.
enum Opening {
    /// With this protection.
    Open(KeyProtection),
    /// A keyring profile made before PINs: opened with the keyring alone,
    /// then moved to this keyring-and-PIN protection.
    AddPin(KeyProtection),
}

/// Why opening failed.
enum OpenError {
    /// The PIN or passphrase does not open the store.
    Wrong,
    /// Anything else.
    Desk(DeskError),
}

impl From<DeskError> for OpenError {
    fn from(error: DeskError) -> Self {
        Self::Desk(error)
    }
}

impl From<StoreError> for OpenError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::WrongKey => Self::Wrong,
            other => Self::Desk(other.into()),
        }
    }
}

impl From<liaison_core::EngineError> for OpenError {
    fn from(error: liaison_core::EngineError) -> Self {
        Self::Desk(error.into())
    }
}

impl Opening {
    /// Opens the store and the engine (blocking: Argon2id and migrations).
    /// Returns the new record when the protection changed.
    fn open(
        self,
        path: &std::path::Path,
        registry: Arc<PolicyRegistry>,
    ) -> Result<(Engine, Option<StoredProtection>), OpenError> {
        let (store, changed) = match self {
            Self::Open(protection) => (Store::open(path, &protection)?, None),
            Self::AddPin(protection) => {
                let KeyProtection::KeyringPin {
                    service,
                    account,
                    pin,
                    params,
                } = &protection
                else {
                    return Err(DeskError::internal("adding a PIN to a keyring profile").into());
                };
                let changed = Some(StoredProtection::KeyringPin {
                    service: service.clone(),
                    account: account.clone(),
                });
                match Store::open(path, &KeyProtection::keyring(service, account)) {
                    Ok(store) => {
                        store.add_pin(service, account, pin, *params)?;
                        (store, changed)
                    }
                    // A PIN was added but the record not yet rewritten (a
                    // crash in between): the store opens with the PIN.
                    Err(StoreError::WrongKey) if has_kdf_file(path) => {
                        (Store::open(path, &protection)?, changed)
                    }
                    Err(StoreError::WrongKey) => {
                        return Err(DeskError::internal(
                            "the key in the system keyring does not open this profile's store",
                        )
                        .into());
                    }
                    Err(error) => return Err(OpenError::Desk(error.into())),
                }
            }
        };
        Ok((Engine::open(store, registry)?, changed))
    }
}

/// Whether the store at `path` has its key-derivation file beside it.
fn has_kdf_file(path: &std::path::Path) -> bool {
    let mut name = path.as_os_str().to_owned();
    name.push("-kdf");
    std::path::PathBuf::from(name).exists()
}
