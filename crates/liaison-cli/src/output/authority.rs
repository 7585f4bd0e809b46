//! Views of the exercise authority's results.

use std::io::{self, Write};

use serde::Serialize;

use super::Render;

/// `liaison authority init|show`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuthorityView {
    /// The authority file.
    pub file: String,
    /// Common name and fingerprint, as the authority displays itself.
    pub authority: String,
    /// SHA-256 fingerprint of its certificate, to compare with partners.
    pub fingerprint: String,
    /// Serials revoked so far (hex).
    pub revoked: Vec<String>,
}

impl Render for AuthorityView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "authority    {}", self.authority)?;
        writeln!(out, "file         {}", self.file)?;
        writeln!(out, "fingerprint  {}", self.fingerprint)?;
        if self.revoked.is_empty() {
            writeln!(out, "revoked      none")
        } else {
            writeln!(out, "revoked      {}", self.revoked.join(", "))
        }
    }
}

/// PEM text (`liaison authority certificate`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PemView {
    /// The PEM text.
    pub pem: String,
}

impl Render for PemView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        write!(out, "{}", self.pem)
    }
}

/// `liaison authority issue`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IssuedView {
    /// The officer id certified.
    pub officer_id: String,
    /// The certificate's serial (hex), for revocation.
    pub serial: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// Where the chain was written.
    pub chain_file: String,
}

impl Render for IssuedView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "issued {} serial {} valid until {}; chain written to {}",
            self.officer_id, self.serial, self.not_after, self.chain_file
        )
    }
}

/// `liaison authority revoke`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RevokedView {
    /// The serial revoked (hex).
    pub serial: String,
    /// How many serials the authority has revoked in all.
    pub revoked_total: usize,
}

impl Render for RevokedView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "revoked {} ({} revoked in all); publish a new list with `liaison authority crl`",
            self.serial, self.revoked_total
        )
    }
}

/// `liaison authority crl`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CrlView {
    /// Where the list was written.
    pub file: String,
    /// Serials on the list.
    pub revoked: usize,
    /// When the next list is due (RFC 3339).
    pub next_update: String,
}

impl Render for CrlView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "revocation list with {} serial(s) written to {}; next update {}",
            self.revoked, self.file, self.next_update
        )
    }
}
