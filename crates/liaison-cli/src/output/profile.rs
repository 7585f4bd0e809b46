//! Views of profiles and device keys.

use std::io::{self, Write};

use serde::Serialize;

use super::{Render, sanitize_line};

/// What the profile's certificate says, and whether it was verified.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CertificateView {
    /// SHA-256 fingerprint of the officer certificate.
    pub fingerprint: String,
    /// Whether the chain verified against the authority certificate kept in
    /// the profile; the attributes below are shown only when it did.
    pub verified: bool,
    /// Serial number (hex), when verified.
    pub serial: Option<String>,
    /// End of validity (RFC 3339), when verified.
    pub not_after: Option<String>,
    /// Fingerprint of the authority the chain leads to, when verified.
    pub authority: Option<String>,
    /// Why it was not verified, when it was not.
    pub unverified_reason: Option<String>,
}

/// `liaison profile show` (and `profile create`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProfileView {
    /// Profile name.
    pub name: String,
    /// Officer id.
    pub officer_id: String,
    /// Display name (verified certificates only).
    pub display_name: Option<String>,
    /// Organisation (verified certificates only).
    pub organisation: Option<String>,
    /// Nationality, ISO 3166 alpha-3 (verified certificates only).
    pub nationality: Option<String>,
    /// Clearance, as a marking-like text (verified certificates only).
    pub clearance: Option<String>,
    /// The certificate.
    pub certificate: CertificateView,
    /// The device's Ed25519 public key (hex).
    pub device_public_key: String,
    /// "keyring" or "passphrase".
    pub protection: String,
    /// The relay URL, if set.
    pub relay: Option<String>,
    /// Number of channels (active or past).
    pub channels: usize,
    /// When the profile was created (RFC 3339).
    pub created_at: String,
    /// The profile directory.
    pub path: String,
}

impl Render for ProfileView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "profile      {}", self.name)?;
        write!(out, "officer      {}", sanitize_line(&self.officer_id))?;
        if let (Some(name), Some(org), Some(nation)) =
            (&self.display_name, &self.organisation, &self.nationality)
        {
            write!(
                out,
                " ({}, {}, {nation})",
                sanitize_line(name),
                sanitize_line(org)
            )?;
        }
        writeln!(out)?;
        if let Some(clearance) = &self.clearance {
            writeln!(out, "clearance    {clearance}")?;
        }
        let c = &self.certificate;
        writeln!(out, "certificate  {}", c.fingerprint)?;
        if c.verified {
            writeln!(
                out,
                "             serial {}, valid until {}, issued under {}",
                c.serial.as_deref().unwrap_or("?"),
                c.not_after.as_deref().unwrap_or("?"),
                c.authority.as_deref().unwrap_or("?")
            )?;
        } else {
            writeln!(
                out,
                "             not verified: {}",
                c.unverified_reason.as_deref().unwrap_or("unknown")
            )?;
        }
        writeln!(out, "device key   {}", self.device_public_key)?;
        writeln!(out, "protection   {}", self.protection)?;
        writeln!(
            out,
            "relay        {}",
            self.relay.as_deref().unwrap_or("(none)")
        )?;
        writeln!(out, "channels     {}", self.channels)?;
        writeln!(out, "created      {}", self.created_at)?;
        writeln!(out, "directory    {}", self.path)
    }
}

/// One profile in `liaison profile list` (read without unlocking).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProfileListEntry {
    /// Profile name.
    pub name: String,
    /// "keyring" or "passphrase".
    pub protection: String,
    /// The relay URL, if set.
    pub relay: Option<String>,
}

/// `liaison profile list`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProfileListView {
    /// The profiles, by name.
    pub profiles: Vec<ProfileListEntry>,
}

impl Render for ProfileListView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.profiles.is_empty() {
            return writeln!(out, "no profiles");
        }
        for p in &self.profiles {
            writeln!(
                out,
                "{:<20} {:<11} {}",
                p.name,
                p.protection,
                p.relay.as_deref().unwrap_or("")
            )?;
        }
        Ok(())
    }
}

/// `liaison profile unlock`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnlockView {
    /// Profile name.
    pub name: String,
    /// The officer id found in the store.
    pub officer_id: String,
    /// Always true: a profile that does not open is an error (exit 3).
    pub unlocked: bool,
}

impl Render for UnlockView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "profile {} unlocked ({})",
            self.name,
            sanitize_line(&self.officer_id)
        )
    }
}

/// `liaison profile keygen`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KeygenView {
    /// Where the key was written.
    pub key_file: String,
    /// The public key (hex) to give the authority.
    pub public_key: String,
}

impl Render for KeygenView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "device key written to {}", self.key_file)?;
        writeln!(out, "public key {}", self.public_key)?;
        writeln!(
            out,
            "give the public key to your authority; import the certificate with \
             `liaison profile create NAME --certificate CHAIN.pem --device-key {}`",
            self.key_file
        )
    }
}

/// `liaison profile delete`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeletedView {
    /// Profile name.
    pub name: String,
    /// Whether a keyring entry was deleted too.
    pub keyring_entry_deleted: bool,
}

impl Render for DeletedView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "profile {} deleted", self.name)
    }
}
