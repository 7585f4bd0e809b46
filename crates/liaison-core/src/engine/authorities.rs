//! The partner authorities this profile trusts: pinned by fingerprint, set
//! at onboarding or import, and changed only by the officer with an
//! explicit confirmation. A channel's policy names its own trust anchors;
//! joining one whose anchors are not all pinned here needs the officer's
//! word first (`invitations.rs`), so a channel creator cannot make an
//! officer trust an authority it made itself.
//!
//! This module is the only one that reads or writes `pinned_authorities`
//! and `pinning_upgrade` (migration 0008).

use rusqlite::Connection;
use thiserror::Error;

use super::{Engine, txn};
use crate::audit::AuditEvent;
use crate::channel::EngineError;
use crate::store::tables::{channels, pinned_authorities};
use liaison_identity::{
    CertificateChain, CredentialError, Fingerprint, TrustAnchors, authority_name,
};
use liaison_rules::{ChannelPolicy, PolicyRegistry};

/// How an authority came to be pinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PinSource {
    /// Named when the profile was created with an exercise certificate
    /// issued on the spot (the issuing authority, and the exercise's
    /// partners).
    Onboarding,
    /// Named when the profile was imported from certificate files.
    Import,
    /// Pinned later by the officer, who confirmed its fingerprint.
    Officer,
    /// Pinned at the first opening of a profile created before pinning
    /// existed: what it already relied on, trusted on first use.
    Upgrade,
}

impl PinSource {
    /// The name stored and shown (`onboarding`, `import`, `officer`,
    /// `upgrade`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Onboarding => "onboarding",
            Self::Import => "import",
            Self::Officer => "officer",
            Self::Upgrade => "upgrade",
        }
    }

    fn parse(text: &str) -> Result<Self, EngineError> {
        Ok(match text {
            "onboarding" => Self::Onboarding,
            "import" => Self::Import,
            "officer" => Self::Officer,
            "upgrade" => Self::Upgrade,
            _ => {
                return Err(EngineError::Store(crate::StoreError::Corrupt {
                    what: "pinned authority source",
                }));
            }
        })
    }
}

/// A partner authority this profile trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinnedAuthority {
    /// SHA-256 of its certificate: what identifies it.
    pub fingerprint: Fingerprint,
    /// The name its certificate gives itself (anyone can choose any name).
    pub name: String,
    /// Its certificate (DER).
    pub certificate: Vec<u8>,
    /// When it was pinned, Unix milliseconds.
    pub pinned_at_ms: u64,
    /// How it was pinned.
    pub source: PinSource,
}

/// One trust anchor of a channel, as the officer is shown it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelAnchor {
    /// The name its certificate gives itself.
    pub name: String,
    /// SHA-256 of its certificate.
    pub fingerprint: Fingerprint,
    /// Whether this profile has pinned it.
    pub pinned: bool,
}

impl ChannelAnchor {
    fn of(der: &[u8], pinned: bool) -> Self {
        Self {
            name: shown_name(der),
            fingerprint: Fingerprint::of(der),
            pinned,
        }
    }
}

impl std::fmt::Display for ChannelAnchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.fingerprint)
    }
}

/// Why a change to the pinned authorities, or a decision on an
/// invitation, was refused. Nothing was changed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum PinError {
    /// The fingerprint the officer confirmed is not the certificate's.
    #[error("the certificate's fingerprint is {actual}, not {confirmed} as confirmed")]
    FingerprintMismatch {
        /// The certificate's fingerprint.
        actual: Fingerprint,
        /// The fingerprint the officer confirmed.
        confirmed: Fingerprint,
    },
    /// The certificate cannot be a partner authority (not a CA, malformed).
    #[error("not a partner-authority certificate: {0}")]
    NotAnAuthority(CredentialError),
    /// The authority is pinned already.
    #[error("{0} is already pinned")]
    AlreadyPinned(Fingerprint),
    /// No pinned authority has this fingerprint.
    #[error("no pinned authority has the fingerprint {0}")]
    NotPinned(Fingerprint),
    /// No held invitation has this id.
    #[error("no held invitation {0}")]
    UnknownInvitation(i64),
    /// Some authority of the channel is neither pinned nor confirmed.
    #[error(
        "confirm the fingerprint of every authority not yet pinned: {}",
        list_anchors(missing)
    )]
    Unconfirmed {
        /// The channel's anchors still unpinned and unconfirmed.
        missing: Vec<ChannelAnchor>,
    },
    /// A confirmed fingerprint is not one of the channel's anchors (a
    /// mistyped fingerprint, or one of another authority).
    #[error("{0} is not the fingerprint of any of this channel's authorities")]
    NotAnAnchor(Fingerprint),
}

/// "name (fingerprint), …" for messages.
pub(crate) fn list_anchors(anchors: &[ChannelAnchor]) -> String {
    anchors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The authorities a new profile starts with, and how they came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitialTrust {
    /// How they came: [`PinSource::Onboarding`] or [`PinSource::Import`].
    pub source: PinSource,
    /// Their certificates (DER): the authority that issued the officer's
    /// certificate, and any partners the onboarding names.
    pub authorities: Vec<Vec<u8>>,
}

impl InitialTrust {
    /// Authorities named when the profile is created with an exercise
    /// certificate issued on the spot.
    pub fn onboarding(authorities: Vec<Vec<u8>>) -> Self {
        Self {
            source: PinSource::Onboarding,
            authorities,
        }
    }

    /// Authorities named when the profile is imported from files.
    pub fn import(authorities: Vec<Vec<u8>>) -> Self {
        Self {
            source: PinSource::Import,
            authorities,
        }
    }
}

/// The name shown for a certificate already checked to be a CA.
fn shown_name(der: &[u8]) -> String {
    authority_name(der).unwrap_or_else(|_| "(unreadable name)".to_owned())
}

/// Checks that `der` could be a channel's anchor: the same test a policy
/// applies to its anchors, so nothing is pinned that no channel could name.
fn check_authority(der: &[u8]) -> Result<(), PinError> {
    TrustAnchors::new(vec![der.to_vec()])
        .map(drop)
        .map_err(PinError::NotAnAuthority)
}

/// Whether `fingerprint` is pinned.
pub(crate) fn is_pinned(conn: &Connection, fingerprint: &Fingerprint) -> Result<bool, EngineError> {
    Ok(pinned_authorities::contains(
        conn,
        fingerprint.as_bytes().as_slice(),
    )?)
}

/// Every anchor of `anchors`, each with whether it is pinned.
pub(crate) fn channel_anchors(
    conn: &Connection,
    anchors: &TrustAnchors,
) -> Result<Vec<ChannelAnchor>, EngineError> {
    anchors
        .anchors()
        .iter()
        .map(|der| {
            Ok(ChannelAnchor::of(
                der,
                is_pinned(conn, &Fingerprint::of(der))?,
            ))
        })
        .collect()
}

/// Pins `der` unless it is pinned already; audits a new pin. Returns
/// whether it was new.
pub(crate) fn pin_certificate(
    store: &crate::Store,
    der: &[u8],
    source: PinSource,
    now_ms: u64,
) -> Result<bool, EngineError> {
    check_authority(der)?;
    let fingerprint = Fingerprint::of(der);
    let name = shown_name(der);
    let inserted = pinned_authorities::insert(
        store.connection(),
        &pinned_authorities::NewPin {
            fingerprint: fingerprint.as_bytes().as_slice(),
            name: &name,
            certificate: der,
            pinned_at_ms: now_ms,
            source: source.as_str(),
        },
    )?;
    if inserted {
        store.record(
            None,
            &AuditEvent::AuthorityPinned {
                authority: name.to_owned(),
                fingerprint: fingerprint.to_string(),
                source: source.as_str(),
            },
        )?;
    }
    Ok(inserted)
}

impl Engine {
    /// The partner authorities this profile trusts, oldest pin first.
    pub fn pinned_authorities(&self) -> Result<Vec<PinnedAuthority>, EngineError> {
        let mut out = Vec::new();
        for pin in pinned_authorities::list(self.store.connection())? {
            let fingerprint: [u8; 32] =
                pin.fingerprint
                    .try_into()
                    .map_err(|_| crate::StoreError::Corrupt {
                        what: "pinned authority fingerprint",
                    })?;
            out.push(PinnedAuthority {
                fingerprint: Fingerprint::from_bytes(fingerprint),
                name: pin.name,
                certificate: pin.certificate,
                pinned_at_ms: pin.pinned_at_ms,
                source: PinSource::parse(&pin.source)?,
            });
        }
        Ok(out)
    }

    /// Whether the authority with this fingerprint is pinned.
    pub fn is_pinned(&self, fingerprint: &Fingerprint) -> Result<bool, EngineError> {
        is_pinned(self.store.connection(), fingerprint)
    }

    /// Pins a partner authority's certificate (DER). `confirmed` is the
    /// fingerprint the officer compared with the authority out of band: a
    /// certificate with another fingerprint is refused
    /// ([`PinError::FingerprintMismatch`]), so a file swapped between
    /// showing and pinning is not trusted.
    pub fn pin_authority(
        &mut self,
        certificate: &[u8],
        confirmed: &Fingerprint,
    ) -> Result<PinnedAuthority, EngineError> {
        let actual = Fingerprint::of(certificate);
        if actual != *confirmed {
            return Err(PinError::FingerprintMismatch {
                actual,
                confirmed: *confirmed,
            }
            .into());
        }
        check_authority(certificate)?;
        if self.is_pinned(&actual)? {
            return Err(PinError::AlreadyPinned(actual).into());
        }
        pin_certificate(&self.store, certificate, PinSource::Officer, self.now_ms())?;
        self.pinned(&actual)
    }

    /// Unpins the authority with `fingerprint`; `confirmed` must repeat it.
    /// Channels already joined stay joined (their members still verify
    /// against the channel's own anchors); a new channel naming it will
    /// again need the officer's confirmation.
    pub fn unpin_authority(
        &mut self,
        fingerprint: &Fingerprint,
        confirmed: &Fingerprint,
    ) -> Result<PinnedAuthority, EngineError> {
        if fingerprint != confirmed {
            return Err(PinError::FingerprintMismatch {
                actual: *fingerprint,
                confirmed: *confirmed,
            }
            .into());
        }
        let pinned = self.pinned(fingerprint)?;
        txn::begin(self.store.connection(), "unpin")?;
        let result = (|| {
            pinned_authorities::delete(self.store.connection(), fingerprint.as_bytes().as_slice())?;
            self.store.record(
                None,
                &AuditEvent::AuthorityUnpinned {
                    authority: pinned.name.clone(),
                    fingerprint: fingerprint.to_string(),
                },
            )?;
            Ok(())
        })();
        txn::finish(self.store.connection(), "unpin", result)?;
        Ok(pinned)
    }

    fn pinned(&self, fingerprint: &Fingerprint) -> Result<PinnedAuthority, EngineError> {
        self.pinned_authorities()?
            .into_iter()
            .find(|p| p.fingerprint == *fingerprint)
            .ok_or_else(|| PinError::NotPinned(*fingerprint).into())
    }

    /// Pins the authorities a new profile starts with.
    pub(super) fn pin_initial(&mut self, trust: &InitialTrust) -> Result<(), EngineError> {
        txn::begin(self.store.connection(), "pin_initial")?;
        let now = self.now_ms();
        let result = trust
            .authorities
            .iter()
            .try_for_each(|der| pin_certificate(&self.store, der, trust.source, now).map(drop));
        txn::finish(self.store.connection(), "pin_initial", result)
    }

    /// At the first opening of a profile created before pinning existed
    /// (migration 0008 left a `pinning_upgrade` row): pins what the profile
    /// already relied on, once, as [`PinSource::Upgrade`]: the CAs of its
    /// own certificate chain and every anchor of its live channels. This is
    /// trust on first use: an authority a channel already named before the
    /// upgrade is trusted from then on as if the officer had confirmed it.
    /// Returns whether the profile was upgraded at this opening.
    pub(super) fn seed_pins_after_upgrade(&mut self) -> Result<bool, EngineError> {
        let conn = self.store.connection();
        let pending = pinned_authorities::upgrade_pending(conn)?;
        if !pending {
            return Ok(false);
        }
        txn::begin(conn, "pin_upgrade")?;
        let result = (|| {
            let mut candidates = own_chain_authorities(&self.chain);
            candidates.extend(live_channel_anchors(conn, &self.registry)?);
            let now = self.now_ms();
            let mut pinned = 0usize;
            for der in &candidates {
                // A certificate that cannot be an anchor is simply not
                // pinned: the upgrade must not fail on it.
                match pin_certificate(&self.store, der, PinSource::Upgrade, now) {
                    Ok(true) => pinned += 1,
                    Ok(false) | Err(EngineError::Pinning(_)) => {}
                    Err(error) => return Err(error),
                }
            }
            pinned_authorities::upgrade_done(conn)?;
            self.store.record(
                None,
                &AuditEvent::PinningSeeded {
                    pinned: u64::try_from(pinned).unwrap_or(u64::MAX),
                },
            )?;
            Ok(())
        })();
        txn::finish(conn, "pin_upgrade", result)?;
        Ok(true)
    }

    /// Right after [`Engine::open`] upgraded a profile made before pinning
    /// existed ([`Engine::upgraded_pins`]), pins the authority of the
    /// officer's own certificate, which the store does not hold when the
    /// chain leaves its root out (the command line keeps it beside the
    /// store, as `anchor.pem`). Does nothing, and returns 0, at any other
    /// time. Returns how many were pinned.
    pub fn pin_own_authority_after_upgrade(
        &mut self,
        certificates: &[Vec<u8>],
    ) -> Result<usize, EngineError> {
        if !self.upgraded_pins {
            return Ok(0);
        }
        let now = self.now_ms();
        let mut pinned = 0;
        for der in certificates {
            if pin_certificate(&self.store, der, PinSource::Upgrade, now)? {
                pinned += 1;
            }
        }
        Ok(pinned)
    }

    /// Whether this opening pinned, once, what a profile made before
    /// pinning existed already relied on (see
    /// [`Engine::pin_own_authority_after_upgrade`]).
    pub fn upgraded_pins(&self) -> bool {
        self.upgraded_pins
    }
}

/// The CA certificates of the officer's own chain (an imported chain may
/// carry its issuing CAs, or its root).
fn own_chain_authorities(chain: &CertificateChain) -> Vec<Vec<u8>> {
    chain
        .issuers()
        .iter()
        .filter(|der| check_authority(der).is_ok())
        .cloned()
        .collect()
}

/// The anchors of every channel this profile joined (imported archives
/// are not joined), as their stored policies name them.
fn live_channel_anchors(
    conn: &Connection,
    registry: &PolicyRegistry,
) -> Result<Vec<Vec<u8>>, EngineError> {
    let policies = channels::live_policies(conn)?;
    let mut out = Vec::new();
    for bytes in policies {
        // A stored policy this build cannot read names nothing to pin.
        if let Ok(policy) = ChannelPolicy::decode(&bytes, registry) {
            out.extend(policy.anchors().anchors().iter().cloned());
        }
    }
    Ok(out)
}
