//! A search as the user states it: plain words and filters, checked once
//! when built, so the search itself only meets valid queries.

use crate::engine::ChannelId;
use liaison_proto::Precedence;

use super::error::SearchError;

/// Longest search text, in bytes.
pub const MAX_SEARCH_TEXT: usize = 1024;
/// Most words in one search.
pub const MAX_SEARCH_TERMS: usize = 16;
/// Most results one search returns.
pub const MAX_SEARCH_LIMIT: u32 = 500;

/// One word to find: the text between double quotes in FTS5 syntax, and
/// whether it is a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    text: String,
    prefix: bool,
}

/// The words of a search, parsed from what the user typed.
///
/// Every whitespace-separated word must match (AND). A word ending in `*`
/// matches as a prefix (`conv*` finds "convoy"); a `*` anywhere else, and
/// every other character FTS5 treats as syntax (`"`, `(`, `:`, `^`, `-`,
/// `NEAR`, `OR`, …), is only text: each word becomes a quoted FTS5 string,
/// which the tokenizer splits like the message bodies, so `foo-bar` finds
/// the two words side by side. Words with no letter or digit are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchText {
    terms: Vec<Term>,
}

impl SearchText {
    /// Parses what the user typed. Empty text is allowed (a search by
    /// filters only); text that is too long, has too many words, or only
    /// punctuation is an error.
    pub fn parse(text: &str) -> Result<Self, SearchError> {
        if text.len() > MAX_SEARCH_TEXT {
            return Err(SearchError::TooLong);
        }
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() > MAX_SEARCH_TERMS {
            return Err(SearchError::TooManyTerms);
        }
        let terms: Vec<Term> = words
            .iter()
            .filter_map(|word| {
                let stem = word.trim_end_matches('*');
                stem.chars().any(char::is_alphanumeric).then(|| Term {
                    text: stem.to_owned(),
                    prefix: stem.len() != word.len(),
                })
            })
            .collect();
        if terms.is_empty() && !words.is_empty() {
            return Err(SearchError::NoSearchableWords);
        }
        Ok(Self { terms })
    }

    /// Whether there is no word to search for.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The words, each with whether it is a prefix.
    pub fn terms(&self) -> impl Iterator<Item = (&str, bool)> {
        self.terms.iter().map(|t| (t.text.as_str(), t.prefix))
    }

    /// The FTS5 MATCH expression: every word quoted (inner quotes doubled),
    /// a prefix word followed by `*`, joined by AND.
    pub(crate) fn fts_expression(&self) -> String {
        let mut out = String::new();
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                out.push_str(" AND ");
            }
            out.push('"');
            out.push_str(&term.text.replace('"', "\"\""));
            out.push('"');
            if term.prefix {
                out.push('*');
            }
        }
        out
    }
}

/// The order of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchOrder {
    /// Most recently stored first: the order messages reached this profile
    /// (relay order in a live channel, archive order for an import). The
    /// default: exact, and fast however common the words are.
    #[default]
    Recency,
    /// Best match first by FTS5's BM25, newest first among equal scores,
    /// ranking the [`RELEVANCE_WINDOW`](super::search::RELEVANCE_WINDOW)
    /// most recent matches (all of them when there are fewer). Without
    /// words, the same as [`SearchOrder::Recency`].
    Relevance,
}

/// A search: words, filters, a limit and an order. Built with
/// [`SearchQuery::new`] and the `with_*` methods, each of which checks its
/// part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub(crate) text: SearchText,
    pub(crate) channel: Option<ChannelId>,
    pub(crate) sender: Option<String>,
    pub(crate) classification: Option<String>,
    pub(crate) precedence: Option<Precedence>,
    pub(crate) from_ms: Option<u64>,
    pub(crate) to_ms: Option<u64>,
    pub(crate) limit: u32,
    pub(crate) order: SearchOrder,
}

impl SearchQuery {
    /// Default number of results.
    pub const DEFAULT_LIMIT: u32 = 50;

    /// A search for the words in `text` (see [`SearchText`]), in every
    /// channel, at most [`Self::DEFAULT_LIMIT`] results, newest first.
    pub fn new(text: &str) -> Result<Self, SearchError> {
        Ok(Self {
            text: SearchText::parse(text)?,
            channel: None,
            sender: None,
            classification: None,
            precedence: None,
            from_ms: None,
            to_ms: None,
            limit: Self::DEFAULT_LIMIT,
            order: SearchOrder::default(),
        })
    }

    /// Only messages of this channel.
    pub fn with_channel(mut self, channel: ChannelId) -> Self {
        self.channel = Some(channel);
        self
    }

    /// Only messages from this officer.
    pub fn with_sender(mut self, officer_id: impl Into<String>) -> Self {
        self.sender = Some(officer_id.into());
        self
    }

    /// Only messages whose label has this classification, by name (e.g.
    /// "NATO SECRET"); an unknown name is refused when the search runs.
    pub fn with_classification(mut self, name: impl Into<String>) -> Self {
        self.classification = Some(name.into());
        self
    }

    /// Only messages of this precedence.
    pub fn with_precedence(mut self, precedence: Precedence) -> Self {
        self.precedence = Some(precedence);
        self
    }

    /// Only messages sent (sender's clock, Unix milliseconds) from `from_ms`
    /// to `to_ms`, both included; either end may be open.
    pub fn with_sent_between(
        mut self,
        from_ms: Option<u64>,
        to_ms: Option<u64>,
    ) -> Result<Self, SearchError> {
        if let (Some(from), Some(to)) = (from_ms, to_ms)
            && to < from
        {
            return Err(SearchError::InvertedRange);
        }
        self.from_ms = from_ms;
        self.to_ms = to_ms;
        Ok(self)
    }

    /// At most `limit` results (1 to [`MAX_SEARCH_LIMIT`]).
    pub fn with_limit(mut self, limit: u32) -> Result<Self, SearchError> {
        if limit == 0 || limit > MAX_SEARCH_LIMIT {
            return Err(SearchError::BadLimit);
        }
        self.limit = limit;
        Ok(self)
    }

    /// The order of the results.
    pub fn with_order(mut self, order: SearchOrder) -> Self {
        self.order = order;
        self
    }

    /// The words searched for.
    pub fn text(&self) -> &SearchText {
        &self.text
    }

    /// Whether any filter narrows the search.
    pub(crate) fn has_filter(&self) -> bool {
        self.channel.is_some()
            || self.sender.is_some()
            || self.classification.is_some()
            || self.precedence.is_some()
            || self.from_ms.is_some()
            || self.to_ms.is_some()
    }
}
