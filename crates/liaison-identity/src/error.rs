//! The identity module's errors.
//!
//! One variant per reason a credential is refused, so that callers (the
//! channel code, the UI) can say precisely why. No variant carries key
//! material; the certificate facts they carry are public.

/// Why a credential, a certificate, a chain, a trust-anchor list or an
/// attribute was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// The input is not well-formed DER, or not the expected structure.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The MLS credential is not of type X.509.
    #[error("the MLS credential is not an X.509 credential")]
    WrongCredentialType,
    /// The certificate chain holds no certificate.
    #[error("the certificate chain is empty")]
    EmptyChain,
    /// The chain holds more certificates than Liaison accepts.
    #[error("the certificate chain is longer than {max} certificates")]
    ChainTooLong {
        /// The limit.
        max: usize,
    },
    /// A certificate, CRL or credential is larger than Liaison accepts.
    #[error("{what} is larger than {max} bytes")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// The limit in bytes.
        max: usize,
    },
    /// A list holds more entries than Liaison accepts.
    #[error("{what} holds more than {max} entries")]
    TooMany {
        /// Which list.
        what: &'static str,
        /// The limit.
        max: usize,
    },
    /// No path leads from the certificate to one of the channel's trust
    /// anchors.
    #[error("the certificate was not issued by a trusted partner authority")]
    UnknownIssuer,
    /// A certificate on the path carries a signature that does not verify:
    /// the certificate was altered, or an impostor authority reused a
    /// trusted authority's name.
    #[error("a certificate signature on the path does not verify")]
    BadCertificateSignature,
    /// A certificate on the path (or the anchor) is past its notAfter.
    #[error("a certificate on the path has expired")]
    Expired,
    /// A certificate on the path (or the anchor) is before its notBefore.
    #[error("a certificate on the path is not yet valid")]
    NotYetValid,
    /// A certificate on the path is listed in a revocation list the channel
    /// carries.
    #[error("a certificate on the path has been revoked")]
    Revoked,
    /// The certificate's key is not the MLS leaf's signature key.
    #[error("the certificate key is not the member's signature key")]
    KeyMismatch,
    /// The certificate's key is not an Ed25519 key.
    #[error("the certificate key is not an Ed25519 key")]
    UnsupportedKey,
    /// A signature algorithm on the path is not supported.
    #[error("unsupported signature algorithm on the certificate path")]
    UnsupportedAlgorithm,
    /// The certificate is not meant for Liaison: its extended key usage
    /// names neither the Liaison purpose nor nothing at all.
    #[error("the certificate's extended key usage does not allow Liaison")]
    WrongKeyUsage,
    /// The path breaks a CA rule: a CA certificate used as the member's
    /// certificate, an end-entity certificate used as a CA, a path length or
    /// name constraint, an unsupported critical extension.
    #[error("the certificate path breaks a CA constraint: {0}")]
    InvalidPath(&'static str),
    /// The certificate lacks an attribute the Liaison profile requires.
    #[error("the certificate lacks the {0} attribute")]
    MissingAttribute(&'static str),
    /// An attribute is present but unusable (bad encoding, ambiguous,
    /// outside the profile's limits).
    #[error("bad {attribute} attribute: {reason}")]
    BadAttribute {
        /// Which attribute.
        attribute: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A message signature does not verify under the credential's key.
    #[error("the signature does not verify")]
    BadSignature,
    /// A trust-anchor list must hold at least one anchor.
    #[error("a trust-anchor list needs at least one partner authority")]
    NoAnchors,
    /// The same certificate was given twice.
    #[error("duplicate certificate in the trust-anchor list")]
    DuplicateAnchor,
    /// A trust anchor or an added intermediate is not a CA certificate.
    #[error("a trust anchor or intermediate is not a CA certificate")]
    NotACertificateAuthority,
    /// A revocation list or intermediate is not signed by an anchor or by
    /// an intermediate already in the list.
    #[error("the issuer is not one of the channel's partner authorities")]
    UntrustedIssuer,
    /// A revocation list is older than, or as old as, the one already held
    /// for the same issuer.
    #[error("the revocation list is not newer than the one already held")]
    StaleCrl,
    /// The revocation list uses a feature Liaison does not support (delta
    /// CRLs, indirect CRLs, partitioned CRLs).
    #[error("unsupported revocation list: {0}")]
    UnsupportedCrl(&'static str),
}

/// Why the authority (the small CA) refused an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthorityError {
    /// The validity period is empty, reversed, or not encodable in X.509.
    #[error("invalid validity period")]
    InvalidValidity,
    /// A name given to the authority is empty, too long or holds control
    /// characters.
    #[error("invalid {0}")]
    InvalidName(&'static str),
    /// The nationality has no ISO 3166-1 alpha-2 equivalent.
    #[error("the nationality is not an officially assigned ISO 3166-1 code")]
    UnknownCountry,
    /// The officer's attributes cannot be written into a certificate.
    #[error(transparent)]
    Attribute(#[from] CredentialError),
    /// The subject public key is not a valid Ed25519 point.
    #[error("the subject public key is not a valid Ed25519 key")]
    InvalidSubjectKey,
    /// The serial number is not one this authority could have issued.
    #[error("invalid certificate serial number")]
    InvalidSerial,
    /// The operating system's random generator failed.
    #[error("the system random generator is unavailable")]
    Randomness,
    /// The certificate or CRL could not be produced.
    #[error("certificate generation failed: {0}")]
    Generation(String),
    /// The persisted authority is not readable.
    #[error("unreadable authority file: {0}")]
    Persistence(&'static str),
}

/// Why a device key could not be created or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeviceKeyError {
    /// The operating system's random generator failed.
    #[error("the system random generator is unavailable")]
    Randomness,
    /// The bytes are not an RFC 8410 Ed25519 PKCS #8 private key.
    #[error("not an RFC 8410 Ed25519 PKCS #8 private key")]
    NotEd25519Pkcs8,
}
