//! Officer identities on the command line: clearances written like
//! markings, certificate attributes, issuing with an exercise authority,
//! and checking a profile's own certificate.

use std::path::Path;
use std::time::{Duration, SystemTime};

use liaison_core::{
    Authority, AuthorityError, CategoryKind, CertificateChain, Clearance, ClearanceAttribute,
    Fingerprint, Nationality, OfficerAttributes, PolicyRegistry, TrustAnchors, verify_credential,
};

use crate::args::OfficerArgs;
use crate::error::CliError;
use crate::output::CertificateView;
use crate::pem_files::{read_certificates, read_text};
use crate::time_text::rfc3339_system;

const DAY: Duration = Duration::from_secs(86_400);

/// Parses a clearance written like a marking without REL TO, e.g.
/// "NATO SECRET" or "NATO SECRET//ATOMAL//MISSION KFOR", into its
/// certificate form.
pub(crate) fn parse_clearance(
    text: &str,
    registry: &PolicyRegistry,
) -> Result<ClearanceAttribute, CliError> {
    let label = liaison_core::Label::parse_marking(text, registry)?;
    let policy = label.policy();
    let mut builder = Clearance::builder(policy, label.classification());
    for tag in label
        .restrictive_tags()
        .iter()
        .chain(label.permissive_tags())
    {
        let kind = policy.category(tag.category()).map(|c| c.kind());
        if kind == Some(CategoryKind::Releasability) {
            return Err(CliError::Usage(
                "a clearance has no REL TO: the officer's nationality decides releasability".into(),
            ));
        }
        builder = builder.tag(tag.category(), tag.value());
    }
    Ok(builder.build()?.to_attribute())
}

/// A clearance as text: the level, then each held tag.
pub(crate) fn clearance_text(attribute: &ClearanceAttribute, registry: &PolicyRegistry) -> String {
    match Clearance::from_attribute(attribute, registry) {
        Ok(clearance) => {
            let mut text = clearance.level().name().to_owned();
            for tag in clearance
                .restrictive_tags()
                .iter()
                .chain(clearance.permissive_tags())
            {
                text.push_str(&format!("; {} {}", tag.category(), tag.value()));
            }
            text
        }
        Err(_) => format!("(policy {} unknown here)", attribute.policy_oid),
    }
}

fn required<'a>(value: &'a Option<String>, flag: &str) -> Result<&'a str, CliError> {
    value
        .as_deref()
        .ok_or_else(|| CliError::Usage(format!("{flag} is required to issue a certificate")))
}

/// The attributes to certify, from the command line.
pub(crate) fn officer_attributes(
    officer_id: &str,
    args: &OfficerArgs,
    registry: &PolicyRegistry,
) -> Result<OfficerAttributes, CliError> {
    let nationality: Nationality = required(&args.nationality, "--nationality")?.parse()?;
    let clearance = parse_clearance(required(&args.clearance, "--clearance")?, registry)?;
    Ok(OfficerAttributes::new(
        officer_id,
        required(&args.display_name, "--name")?,
        required(&args.organisation, "--org")?,
        nationality,
        clearance,
    )?)
}

/// Loads an authority file.
pub(crate) fn load_authority(path: &Path) -> Result<Authority, CliError> {
    let text = read_text(path)?;
    Ok(Authority::from_pem(&text)?)
}

/// The trust anchor of an authority: the root above it, or itself.
pub(crate) fn anchor_of(authority: &Authority) -> Vec<u8> {
    authority
        .parent_certificates()
        .last()
        .map_or_else(|| authority.certificate_der().to_vec(), Clone::clone)
}

/// Issues a certificate valid from now for `days`, and its chain.
pub(crate) fn issue(
    authority: &Authority,
    attributes: &OfficerAttributes,
    public_key: &[u8; 32],
    days: u32,
) -> Result<CertificateChain, CliError> {
    let now = SystemTime::now();
    let not_after = now
        .checked_add(DAY.saturating_mul(days))
        .ok_or_else(|| CliError::Usage("--days is too large".into()))?;
    let certificate = authority
        .issue(attributes, public_key, now, not_after)
        .map_err(|e| match e {
            AuthorityError::InvalidValidity => CliError::Usage(
                "the certificate must expire before its authority does; use fewer --days".into(),
            ),
            other => other.into(),
        })?;
    Ok(authority.chain_for(certificate)?)
}

/// Parses a 32-byte Ed25519 public key written in hex.
pub(crate) fn parse_public_key(text: &str) -> Result<[u8; 32], CliError> {
    let bytes = hex::decode(text.trim())
        .map_err(|_| CliError::Usage("the public key must be 64 hex digits".into()))?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| CliError::Usage("the public key must be 64 hex digits".into()))
}

/// What a profile's chain verifies to against the authority certificate
/// kept in `anchor_file` (if any): the certificate view and, when it
/// verifies, the certified attributes.
pub(crate) fn check_own_certificate(
    chain: &CertificateChain,
    anchor_file: &Path,
) -> Result<(CertificateView, Option<OfficerAttributes>), CliError> {
    let mut view = CertificateView {
        fingerprint: Fingerprint::of(chain.leaf()).to_string(),
        verified: false,
        serial: None,
        not_after: None,
        authority: None,
        unverified_reason: None,
    };
    if !anchor_file.is_file() {
        view.unverified_reason = Some("the profile keeps no authority certificate".into());
        return Ok((view, None));
    }
    let anchors = TrustAnchors::new(read_certificates(anchor_file)?)?;
    let key = chain.leaf_public_key()?;
    match verify_credential(chain, &anchors, SystemTime::now(), &key) {
        Ok(verified) => {
            view.verified = true;
            view.serial = Some(verified.serial().to_string());
            view.not_after = Some(rfc3339_system(verified.not_after()));
            view.authority = Some(verified.anchor_fingerprint().to_string());
            Ok((view, Some(verified.attributes().clone())))
        }
        Err(error) => {
            view.unverified_reason = Some(error.to_string());
            Ok((view, None))
        }
    }
}
