//! The Liaison engine.

mod identity;

pub use identity::{
    Authority, AuthorityError, CertificateChain, CertificateSerial, CredentialError, DeviceKey,
    DeviceKeyError, Fingerprint, LIAISON_KEY_PURPOSE, MAX_ANCHORS, MAX_CERTIFICATE_LEN,
    MAX_CHAIN_LEN, MAX_CRL_LEN, MAX_INTERMEDIATES, OfficerAttributes, TrustAnchors, Validity,
    VerifiedCredential, verify_credential,
};
// Stand-ins for the labels module's types (identity/label_types.rs); on
// merge they give way to the labels module's own exports.
pub use identity::{ClearanceAttribute, Nationality, NationalityError};
