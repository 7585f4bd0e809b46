//! `liaison authority …`: a small certification authority for exercises
//! and tests, kept in one PEM file (certificate, key, revocations).

use std::time::{Duration, SystemTime};

use liaison_core::{
    Authority, CertificateChain, CertificateSerial, Nationality, TrustAnchors, Validity,
    verify_credential,
};

use super::identity::{anchor_of, issue, load_authority, officer_attributes, parse_public_key};
use crate::args::{
    AuthorityCrlArgs, AuthorityFileArg, AuthorityInitArgs, AuthorityIssueArgs, AuthorityRevokeArgs,
};
use crate::context::Context;
use crate::error::CliError;
use crate::output::{AuthorityView, CrlView, IssuedView, PemView, RevokedView};
use crate::pem_files::{
    certificates_pem, crl_pem, read_text, replace_secret, write_new_secret, write_public,
};
use crate::session::registry;
use crate::time_text::rfc3339_system;

const DAY: Duration = Duration::from_secs(86_400);

fn view(authority: &Authority, file: &std::path::Path) -> AuthorityView {
    AuthorityView {
        file: file.display().to_string(),
        authority: authority.to_string(),
        fingerprint: authority.fingerprint().to_string(),
        revoked: authority.revoked().map(ToString::to_string).collect(),
    }
}

fn days(days: u32) -> Result<Duration, CliError> {
    if days == 0 {
        return Err(CliError::Usage("--days must be at least 1".into()));
    }
    Ok(DAY.saturating_mul(days))
}

/// `liaison authority init`: a new self-signed authority, written to a new
/// owner-only file.
pub fn init(args: &AuthorityInitArgs) -> Result<AuthorityView, CliError> {
    let nationality: Nationality = args.nationality.parse()?;
    let validity = Validity::starting_now(days(args.days)?)?;
    let authority = Authority::init(&args.name, &args.organisation, &nationality, validity)?;
    write_new_secret(&args.out, authority.to_pem().as_bytes())?;
    Ok(view(&authority, &args.out))
}

/// `liaison authority show`
pub fn show(args: &AuthorityFileArg) -> Result<AuthorityView, CliError> {
    Ok(view(&load_authority(&args.authority)?, &args.authority))
}

/// `liaison authority certificate`: the public certificates (the authority's
/// and those above it), for channel admins' `--anchor`.
pub fn certificate(args: &AuthorityFileArg) -> Result<PemView, CliError> {
    let authority = load_authority(&args.authority)?;
    let mut ders = vec![authority.certificate_der().to_vec()];
    ders.extend(authority.parent_certificates().iter().cloned());
    Ok(PemView {
        pem: certificates_pem(&ders),
    })
}

/// `liaison authority issue`: an officer certificate for a device public
/// key; the chain is written to `--out`.
pub fn issue_certificate(ctx: &Context, args: &AuthorityIssueArgs) -> Result<IssuedView, CliError> {
    let authority = load_authority(&args.authority)?;
    let public_key = parse_public_key(&args.public_key)?;
    let attributes = officer_attributes(&args.officer_id, &args.officer, &*registry(ctx)?)?;
    let chain = issue(&authority, &attributes, &public_key, args.officer.days)?;
    write_public(&args.out, chain.to_pem().as_bytes())?;
    // Verify what was issued, as every channel member will.
    let anchors = TrustAnchors::new(vec![anchor_of(&authority)])?;
    let verified = verify_credential(&chain, &anchors, SystemTime::now(), &public_key)?;
    Ok(IssuedView {
        officer_id: args.officer_id.clone(),
        serial: verified.serial().to_string(),
        not_after: rfc3339_system(verified.not_after()),
        chain_file: args.out.display().to_string(),
    })
}

/// `liaison authority revoke`: records the revocation in the authority
/// file (replaced atomically). Publish it with `authority crl`.
pub fn revoke(args: &AuthorityRevokeArgs) -> Result<RevokedView, CliError> {
    let mut authority = load_authority(&args.authority)?;
    let serial = match (&args.serial, &args.certificate) {
        (Some(text), None) => text.parse::<CertificateSerial>()?,
        (None, Some(path)) => {
            let chain = CertificateChain::from_pem(&read_text(path)?)?;
            CertificateSerial::of_certificate(chain.leaf())?
        }
        _ => {
            return Err(CliError::Usage(
                "give a serial number or --certificate FILE".into(),
            ));
        }
    };
    authority.revoke(&serial);
    replace_secret(&args.authority, authority.to_pem().as_bytes())?;
    Ok(RevokedView {
        serial: serial.to_string(),
        revoked_total: authority.revoked().count(),
    })
}

/// `liaison authority crl`: a signed revocation list of every revoked
/// serial, valid from now for `--days`.
pub fn crl(args: &AuthorityCrlArgs) -> Result<CrlView, CliError> {
    let authority = load_authority(&args.authority)?;
    let now = SystemTime::now();
    let next = now
        .checked_add(days(args.days)?)
        .ok_or_else(|| CliError::Usage("--days is too large".into()))?;
    let der = authority.crl(now, next)?;
    if args.der {
        write_public(&args.out, &der)?;
    } else {
        write_public(&args.out, crl_pem(der).as_bytes())?;
    }
    Ok(CrlView {
        file: args.out.display().to_string(),
        revoked: authority.revoked().count(),
        next_update: rfc3339_system(next),
    })
}
