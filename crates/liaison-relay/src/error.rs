//! The relay's one error type: every refusal maps to a protocol
//! [`ErrorCode`]; internal failures reach the client only as a generic
//! `internal` and are logged, with their cause, in the request's span.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_proto::relay::{ErrorCode, RelayError};

use crate::storage::StorageError;

/// A request the relay refused or could not serve.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A refusal the client can act on: a protocol error code and a short
    /// explanation that names no content.
    #[error("{code:?}: {message}")]
    Refused {
        /// The protocol code.
        code: ErrorCode,
        /// For people.
        message: String,
    },
    /// A failure inside the relay; the client sees only `internal`.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A refusal with its code.
    pub(crate) fn refused(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Refused {
            code,
            message: message.into(),
        }
    }

    /// A malformed request or MLS message.
    pub(crate) fn malformed(message: impl std::fmt::Display) -> Self {
        Self::refused(ErrorCode::Malformed, message.to_string())
    }

    /// A commit or request a relay-side rule forbids.
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::refused(ErrorCode::Forbidden, message)
    }

    /// The officer is not (or no longer) a member of the group.
    pub(crate) fn not_member() -> Self {
        Self::refused(
            ErrorCode::NotMember,
            "this officer is not a member of the group",
        )
    }

    /// The protocol code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Refused { code, .. } => *code,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// What the client is told. Internal causes are logged here, inside the
    /// caller's span, and replaced by a generic text.
    pub(crate) fn into_wire(self) -> RelayError {
        match self {
            Self::Refused { code, message } => RelayError { code, message },
            Self::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                RelayError {
                    code: ErrorCode::Internal,
                    message: "internal error; retry later".to_owned(),
                }
            }
        }
    }
}

impl From<StorageError> for Error {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::GroupExists => {
                Self::refused(ErrorCode::GroupExists, "the group already exists")
            }
            StorageError::UnknownGroup => Self::refused(
                ErrorCode::UnknownGroup,
                "the relay does not know this group",
            ),
            StorageError::QuotaExceeded(whose) => Self::refused(
                ErrorCode::QuotaExceeded,
                format!("the {whose} storage quota at this relay is used up"),
            ),
            StorageError::QueueFull => Self::refused(
                ErrorCode::QueueFull,
                "the group holds as many messages as this relay keeps",
            ),
            StorageError::TooManyKeyPackages => Self::refused(
                ErrorCode::TooManyKeyPackages,
                "this officer holds the maximum number of key packages",
            ),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Internal(format!("relay task failed: {error}"))
    }
}

/// For the HTTP routes: refusals are 4xx with their code, internal errors
/// a generic 500.
impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = match self.code() {
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Unauthenticated
            | ErrorCode::UnknownAuthority
            | ErrorCode::Expired
            | ErrorCode::Revoked => StatusCode::UNAUTHORIZED,
            ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        };
        let wire = self.into_wire();
        (status, format!("{}\n", wire.message)).into_response()
    }
}

/// Why the relay could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A trust anchor or revocation list could not be read or is invalid.
    #[error("trust anchors: {0}")]
    Trust(String),
    /// The TLS certificate or key could not be read, made or used.
    #[error("TLS: {0}")]
    Tls(String),
    /// A file or socket operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
}
