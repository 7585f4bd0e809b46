//! Full-text search over the encrypted store (FTS5), with filters.

use liaison_proto::Precedence;

use super::error::{ArchiveError, SearchError};
use super::highest::highest_label;
use super::provenance::ChannelOrigin;
use super::query::SearchQuery;
use super::snippet::{Markers, SNIPPET_TOKENS, plain_excerpt};
use crate::engine::{ChannelId, Engine, StoredMessage, stored_message};
use crate::store::tables::messages::{SearchFilter, SearchRow, SearchStatement, TextMatch};
use liaison_rules::{Label, PolicyRegistry};

/// How many of the most recent matches relevance order ranks.
pub const RELEVANCE_WINDOW: u32 = 2_000;

/// One message found.
#[derive(Debug, Clone)]
pub struct SearchHit {
    /// The channel it is in.
    pub channel: ChannelId,
    /// The channel's partnership name.
    pub channel_name: String,
    /// Whether the channel is live or imported.
    pub channel_origin: ChannelOrigin,
    /// The message, with its label, portion marking and verification state.
    pub message: StoredMessage,
    /// The body around the match, matched words between U+0002 and U+0003
    /// (the start of the body when the search had no words).
    pub snippet: String,
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The messages found, in the query's order.
    pub hits: Vec<SearchHit>,
    /// The highest label among the hits, for the results banner
    /// ([`super::highest_label`]); `None` when nothing was found.
    pub highest: Option<Label>,
}

/// Which levels a classification name stands for, per label policy.
struct ClassFilter {
    ranks: Vec<(String, usize)>,
}

impl ClassFilter {
    /// The levels an officer means by `name`: a full name or a portion
    /// abbreviation (`NS`), in any case.
    fn resolve(name: &str, registry: &PolicyRegistry) -> Result<Self, SearchError> {
        let ranks: Vec<(String, usize)> = registry
            .iter()
            .filter_map(|policy| {
                policy
                    .level_as_typed(name)
                    .map(|level| (policy.id().to_owned(), level.rank()))
            })
            .collect();
        if ranks.is_empty() {
            return Err(SearchError::UnknownClassification(name.to_owned()));
        }
        Ok(Self { ranks })
    }

    /// SQL can only filter on the rank column; two policies may give one
    /// rank to different levels, so each hit's label is checked as well.
    fn admits(&self, label: &Label) -> bool {
        self.ranks
            .iter()
            .any(|(policy, rank)| policy == label.policy_id() && *rank == label.rank())
    }
}

impl Engine {
    /// Searches every channel of this profile, live, archived and imported.
    ///
    /// Words must all match (see [`super::SearchText`]); filters narrow by
    /// channel, sender, classification, precedence and sending date. Results
    /// come in the query's [`super::SearchOrder`], at most its limit, each with its
    /// label, portion marking, verification state and a snippet, plus the
    /// highest label among them.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, ArchiveError> {
        if query.text.is_empty() && !query.has_filter() {
            return Err(SearchError::Empty.into());
        }
        let classes = query
            .classification
            .as_deref()
            .map(|name| ClassFilter::resolve(name, self.registry()))
            .transpose()?;
        let markers = Markers::generate()?;
        let text = (!query.text.is_empty()).then(|| TextMatch {
            expression: query.text.fts_expression(),
            open: &markers.open,
            close: &markers.close,
            snippet_tokens: SNIPPET_TOKENS,
            order: query.order,
        });
        let filter = SearchFilter {
            channel: query.channel.as_ref().map(|c| c.0.as_slice()),
            sender: query.sender.as_deref(),
            precedence: query.precedence.map(Precedence::code),
            from_ms: query.from_ms,
            to_ms: query.to_ms,
            ranks: classes
                .as_ref()
                .map(|c| c.ranks.iter().map(|(_, rank)| *rank).collect()),
        };
        let statement = SearchStatement::new(text.as_ref(), &filter);
        let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
        let mut hits: Vec<SearchHit> = Vec::with_capacity(limit.min(64));
        // One page is enough unless the classification check drops rows
        // the rank filter let through.
        statement.run(self.store().connection(), query.limit, |row| {
            let hit = self.read_hit(row, &markers)?;
            if classes
                .as_ref()
                .is_none_or(|c| c.admits(&hit.message.label))
            {
                hits.push(hit);
            }
            Ok::<_, ArchiveError>(hits.len() == limit)
        })?;
        let highest = highest_label(hits.iter().map(|h| &h.message.label)).cloned();
        Ok(SearchResults { hits, highest })
    }

    fn read_hit(&self, row: SearchRow, markers: &Markers) -> Result<SearchHit, ArchiveError> {
        let channel = ChannelId(row.group_id);
        let channel_origin = ChannelOrigin::parse(&row.channel_origin)?;
        let own = (channel_origin == ChannelOrigin::Live).then_some(self.officer_id());
        let message = stored_message(row.record, &channel, self.registry(), own)?;
        let channel_name = row.channel_name;
        let snippet = match row.snippet {
            Some(raw) => markers.finish(&raw),
            None => plain_excerpt(&message.body),
        };
        Ok(SearchHit {
            channel,
            channel_name,
            channel_origin,
            message,
            snippet,
        })
    }
}
