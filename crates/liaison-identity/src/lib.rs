//! Liaison identities: officers' device keys, partner authorities and X.509
//! credentials.
//!
//! Every officer holds one Ed25519 [`DeviceKey`] per device and an X.509
//! certificate from their partner authority (a CA). The MLS credential is
//! the certificate chain ([`CertificateChain::to_mls_credential`]); a
//! channel trusts the authorities listed in its [`TrustAnchors`], and
//! [`verify_credential`] decides whether a member's credential is
//! acceptable. Certificates from a national PKI verify exactly like those
//! of the built-in [`Authority`]: nothing depends on who issued them. The
//! certificate profile is documented in `docs/identity.md`.

mod anchors;
mod anchors_serde;
mod attributes;
mod authority;
mod authority_file;
mod authority_name;
mod chain;
mod clearance;
mod clearance_attribute;
mod country;
mod device_key;
mod directory;
mod error;
mod fingerprint;
mod mls_vec;
mod nationality;
mod oid;
mod serial;
mod signed;
mod time;
mod verify;

#[cfg(test)]
mod tests;

#[cfg(any(test, feature = "test-utils"))]
pub mod test_utils;

pub use anchors::{MAX_ANCHORS, MAX_CRL_LEN, MAX_INTERMEDIATES, TrustAnchors};
pub use attributes::OfficerAttributes;
pub use authority::{Authority, Validity};
pub use authority_name::authority_name;
pub use chain::{CertificateChain, MAX_CERTIFICATE_LEN, MAX_CHAIN_LEN};
pub use clearance_attribute::ClearanceAttribute;
pub use device_key::DeviceKey;
pub use error::{AuthorityError, CredentialError, DeviceKeyError};
pub use fingerprint::Fingerprint;
pub use nationality::{Nationality, NationalityError};
pub use oid::LIAISON_KEY_PURPOSE;
pub use serial::CertificateSerial;
pub use verify::{VerifiedCredential, verify_credential};
