//! The Liaison engine.

mod identity;

pub use identity::{
    Authority, AuthorityError, CertificateChain, CertificateSerial, ClearanceAttribute,
    CredentialError, DeviceKey, DeviceKeyError, Fingerprint, LIAISON_KEY_PURPOSE, MAX_ANCHORS,
    MAX_CERTIFICATE_LEN, MAX_CHAIN_LEN, MAX_CRL_LEN, MAX_INTERMEDIATES, Nationality,
    NationalityError, OfficerAttributes, TrustAnchors, Validity, VerifiedCredential,
    verify_credential,
};
