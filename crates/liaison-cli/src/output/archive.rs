//! Views of searching, archiving, exporting and importing.

use std::io::{self, Write};

use serde::Serialize;

use super::channel::ChannelRefView;
use super::message::MessageView;
use super::{Render, sanitize, sanitize_line};

/// Marks a matched word in a snippet (JSON keeps the contract's U+0002 and
/// U+0003; text shows brackets).
const HIGHLIGHT: (char, char) = ('\u{2}', '\u{3}');

/// One search result.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SearchHitView {
    /// The channel it is in.
    pub channel: ChannelRefView,
    /// "live" or "imported".
    pub origin: String,
    /// The message, with its portion marking and verification state.
    pub message: MessageView,
    /// The body around the match, matched words between U+0002 and U+0003.
    pub snippet: String,
}

/// `liaison search`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SearchView {
    /// The banner: the highest label among the results (empty when none).
    pub banner: String,
    /// "relevance" or "recency".
    pub order: String,
    /// The results.
    pub hits: Vec<SearchHitView>,
}

impl Render for SearchView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.hits.is_empty() {
            return writeln!(out, "no messages found");
        }
        writeln!(out, "==== {} ====", self.banner)?;
        for hit in &self.hits {
            let m = &hit.message;
            writeln!(
                out,
                "{}  {}  {}  {}{}",
                super::message::short_message(&m.id),
                m.portion_marking,
                m.precedence,
                m.sent_at,
                if hit.origin == "imported" {
                    "  (imported)"
                } else {
                    ""
                }
            )?;
            writeln!(
                out,
                "    in {}, from {}{}",
                sanitize_line(&hit.channel.name),
                sanitize_line(&m.sender_id),
                match m.verification.as_str() {
                    "tampered" => "  !! TAMPERED",
                    "unverified" => "  ! unverified",
                    _ => "",
                }
            )?;
            writeln!(out, "    {}", highlighted(&hit.snippet))?;
        }
        writeln!(out, "==== {} ====", self.banner)
    }
}

/// A snippet for the terminal: highlights as brackets, on one line, with
/// nothing from the message able to drive the terminal.
fn highlighted(snippet: &str) -> String {
    let marked: String = snippet
        .chars()
        .map(|c| match c {
            c if c == HIGHLIGHT.0 => '[',
            c if c == HIGHLIGHT.1 => ']',
            c => c,
        })
        .collect();
    sanitize(&marked).replace(['\n', '\t'], " ")
}

/// `liaison channel archive`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ArchivedView {
    /// The channel.
    pub channel: ChannelRefView,
    /// Always true: the channel is read-only on this desktop.
    pub archived: bool,
}

impl Render for ArchivedView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{} archived: read-only here, history kept",
            sanitize_line(&self.channel.name)
        )
    }
}

/// `liaison export`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExportView {
    /// The channel exported.
    pub channel: ChannelRefView,
    /// Messages written.
    pub messages: u64,
    /// Size of the file.
    pub bytes: u64,
    /// The archive file.
    pub file: String,
    /// "passphrase", or "certificate" with the recipient in `recipient`.
    pub protection: String,
    /// The recipient certificate's fingerprint, for a certificate archive.
    pub recipient: Option<String>,
}

impl Render for ExportView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "exported {} message(s) of {} to {} ({} bytes, {})",
            self.messages,
            sanitize_line(&self.channel.name),
            sanitize_line(&self.file),
            self.bytes,
            match &self.recipient {
                Some(fingerprint) => format!("for certificate {fingerprint}"),
                None => "passphrase".to_owned(),
            }
        )
    }
}

/// `liaison import`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ImportView {
    /// The new, read-only channel.
    pub channel: ChannelRefView,
    /// The archive's id (hex).
    pub archive_id: String,
    /// Who exported it.
    pub exported_by: String,
    /// Messages in the archive.
    pub messages: u64,
    /// Verified offline against an authority this profile knows.
    pub verified: u64,
    /// Whose sender cannot be vouched for here.
    pub unverified: u64,
    /// Whose signature or label does not verify.
    pub tampered: u64,
}

impl Render for ImportView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "imported {} as a read-only channel ({}): {} message(s), {} verified, {} unverified, {} tampered",
            sanitize_line(&self.channel.name),
            super::message::short(&self.channel.id),
            self.messages,
            self.verified,
            self.unverified,
            self.tampered
        )?;
        if self.tampered > 0 {
            writeln!(
                out,
                "!! {} message(s) fail verification: shown flagged, never trusted",
                self.tampered
            )?;
        }
        Ok(())
    }
}
