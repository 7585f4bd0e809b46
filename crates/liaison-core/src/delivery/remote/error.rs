//! The relay's error codes as [`DeliveryError`]s.

use liaison_proto::relay::{ErrorCode, RelayError};

use crate::delivery::DeliveryError;

/// Maps a refusal; `officer` names the officer of a failed claim.
pub(super) fn from_relay(error: RelayError, officer: Option<&str>) -> DeliveryError {
    let RelayError { code, message } = error;
    match code {
        ErrorCode::Unauthenticated => DeliveryError::Unauthenticated(message),
        ErrorCode::UnknownAuthority => DeliveryError::UnknownAuthority,
        ErrorCode::Expired => DeliveryError::CertificateExpired,
        ErrorCode::Revoked => DeliveryError::CertificateRevoked,
        ErrorCode::NotMember => DeliveryError::NotMember,
        ErrorCode::UnknownGroup => DeliveryError::UnknownGroup,
        ErrorCode::GroupExists => DeliveryError::GroupExists,
        ErrorCode::NoKeyPackage => DeliveryError::NoKeyPackage(officer.unwrap_or("?").to_owned()),
        ErrorCode::TooManyKeyPackages => DeliveryError::TooManyKeyPackages,
        ErrorCode::TooLarge => DeliveryError::TooLarge(message),
        ErrorCode::QueueFull => DeliveryError::QueueFull,
        ErrorCode::QuotaExceeded => DeliveryError::QuotaExceeded(message),
        ErrorCode::RateLimited => DeliveryError::RateLimited,
        ErrorCode::Malformed => DeliveryError::Malformed(message),
        ErrorCode::Forbidden => DeliveryError::Forbidden(message),
        ErrorCode::AmbiguousOfficer => DeliveryError::AmbiguousOfficer(message),
        ErrorCode::Internal => DeliveryError::Unavailable("the relay failed internally".into()),
        _ => DeliveryError::Refused(message),
    }
}

/// Whether the refusal concerns the credential itself: reconnecting with
/// the same certificate cannot help.
pub(super) fn is_credential_refusal(error: &DeliveryError) -> bool {
    matches!(
        error,
        DeliveryError::Unauthenticated(_)
            | DeliveryError::UnknownAuthority
            | DeliveryError::CertificateExpired
            | DeliveryError::CertificateRevoked
    )
}
