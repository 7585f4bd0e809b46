//! Search snippets: the body excerpt around the match, matched words
//! wrapped in U+0002 … U+0003 as the UI contract says.
//!
//! A message body is untrusted text and may itself hold U+0002 or U+0003 to
//! fake a highlight. So FTS5 is asked to wrap matches in markers carrying a
//! random nonce drawn per search, which a sender cannot know in advance;
//! every U+0002 and U+0003 in the body is then dropped, and only the
//! nonce-bearing markers become the contract's characters.

use super::error::ArchiveError;

/// Start of a highlighted word in a snippet.
pub(crate) const HIGHLIGHT_START: char = '\u{2}';
/// End of a highlighted word in a snippet.
pub(crate) const HIGHLIGHT_END: char = '\u{3}';
/// Words of context FTS5 puts in a snippet.
pub(crate) const SNIPPET_TOKENS: u32 = 16;
/// Characters of body shown when a search has no words to highlight.
const PLAIN_EXCERPT_CHARS: usize = 120;

/// The per-search markers handed to FTS5's `snippet()`.
#[derive(Debug, Clone)]
pub(crate) struct Markers {
    pub(crate) open: String,
    pub(crate) close: String,
}

impl Markers {
    /// Fresh markers with a 128-bit random nonce.
    pub(crate) fn generate() -> Result<Self, ArchiveError> {
        let mut nonce = [0u8; 16];
        getrandom::fill(&mut nonce).map_err(|_| ArchiveError::Randomness)?;
        let nonce = hex::encode(nonce);
        Ok(Self {
            open: format!("{HIGHLIGHT_START}{nonce}["),
            close: format!("]{nonce}{HIGHLIGHT_END}"),
        })
    }

    /// Turns FTS5's snippet into the contract's form: every marker becomes
    /// its single character, and every other U+0002 or U+0003 is dropped.
    pub(crate) fn finish(&self, raw: &str) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        loop {
            let open = rest
                .find(&self.open)
                .map(|i| (i, &self.open, HIGHLIGHT_START));
            let close = rest
                .find(&self.close)
                .map(|i| (i, &self.close, HIGHLIGHT_END));
            let next = match (open, close) {
                (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
                (a, b) => a.or(b),
            };
            let Some((at, marker, replacement)) = next else {
                push_clean(&mut out, rest);
                return out;
            };
            let (before, after) = rest.split_at(at);
            push_clean(&mut out, before);
            out.push(replacement);
            rest = after.get(marker.len()..).unwrap_or("");
        }
    }
}

/// An excerpt for a search without words: the start of the body, cleaned
/// the same way, cut at a character boundary with an ellipsis.
pub(crate) fn plain_excerpt(body: &str) -> String {
    let mut out = String::new();
    let mut chars = body.chars().filter(|c| !is_marker_char(*c));
    for c in chars.by_ref().take(PLAIN_EXCERPT_CHARS) {
        out.push(c);
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

fn is_marker_char(c: char) -> bool {
    c == HIGHLIGHT_START || c == HIGHLIGHT_END
}

fn push_clean(out: &mut String, text: &str) {
    out.extend(text.chars().filter(|c| !is_marker_char(*c)));
}
