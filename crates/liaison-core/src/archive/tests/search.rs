//! Search against a naive scan of the same corpus, filters, snippets,
//! markings, and hostile input.

use std::collections::HashSet;

use liaison_proto::Precedence;
use proptest::prelude::*;

use super::corpus::{
    CLASSIFICATIONS, LEVELS, ModelTerm, Sample, generate, matches, tokens, vocabulary,
};
use super::fixture::{DAY_MS, Identity, Officer, identity, label, nation, now_ms, officer, policy};
use crate::archive::bulk::BulkMessage;
use crate::archive::{
    ArchiveError, RELEVANCE_WINDOW, SearchError, SearchOrder, SearchQuery, Verification,
};
use crate::engine::ChannelId;

/// An officer's store holding a generated corpus in three channels.
struct World {
    officer: Officer,
    senders: Vec<Identity>,
    channels: Vec<ChannelId>,
    samples: Vec<Sample>,
    tokens: Vec<Vec<String>>,
    /// Insertion position of each sample (its row order).
    inserted: Vec<usize>,
}

/// Builds the corpus. One message in 50 carries a real signed envelope
/// (the search does not look at signatures; the others carry none).
fn world(count: usize, seed: u64) -> World {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let senders = vec![
        identity(&gbr, "gbr.smith", "NATO SECRET"),
        identity(&fra, "fra.martin", "NATO SECRET"),
        identity(&deu, "deu.weber", "NATO SECRET"),
        identity(&gbr, "gbr.jones", "NATO SECRET"),
        identity(&fra, "fra.durand", "NATO SECRET"),
        identity(&deu, "deu.fischer", "NATO SECRET"),
    ];
    let me = officer(&senders[0], None);
    let vocabulary = vocabulary(3000);
    let start = now_ms() - 200 * DAY_MS;
    let samples = generate(seed, count, 3, senders.len(), &vocabulary, start);
    let labels: Vec<_> = LEVELS.iter().map(|m| label(m)).collect();
    let mut per_channel: Vec<Vec<BulkMessage>> = vec![Vec::new(); 3];
    for (i, sample) in samples.iter().enumerate() {
        let sender = &senders[sample.sender];
        let label = &labels[sample.level];
        let message = if i % 50 == 0 {
            sender.bulk_message(
                sample.id,
                label,
                sample.precedence,
                sample.body.clone(),
                sample.sent_at_ms,
            )
        } else {
            BulkMessage {
                message_id: sample.id,
                seq: Some(u64::try_from(i).unwrap()),
                sender_id: sender.id.clone(),
                sender_name: sender.name.clone(),
                sender_nation: sender.nation.clone(),
                label: label.clone(),
                precedence: sample.precedence,
                kind: liaison_proto::TrafficKind::Operation,
                body: sample.body.clone(),
                sent_at_ms: sample.sent_at_ms,
                received_at_ms: sample.sent_at_ms,
                envelope: Vec::new(),
                signature: [0; 64],
                sender_chain: Vec::new(),
            }
        };
        per_channel[sample.channel].push(message);
    }
    let names = [
        "GBR-FRA-DEU border cell",
        "Bridge working group",
        "Medical liaison",
    ];
    let channels: Vec<ChannelId> = names
        .iter()
        .zip(&per_channel)
        .map(|(name, messages)| {
            me.bulk_channel(&policy(name, &["gbr.smith"], &[&gbr, &fra, &deu]), messages)
        })
        .collect();
    // Row ids follow insertion: channel by channel, corpus order within.
    let mut inserted = vec![0usize; samples.len()];
    let mut next = 0;
    for c in 0..channels.len() {
        for (i, sample) in samples.iter().enumerate() {
            if sample.channel == c {
                inserted[i] = next;
                next += 1;
            }
        }
    }
    let tokens = samples.iter().map(|s| tokens(&s.body)).collect();
    World {
        officer: me,
        senders,
        channels,
        samples,
        tokens,
        inserted,
    }
}

/// A query for the engine and the same query for the model.
struct Case {
    name: &'static str,
    query: SearchQuery,
    terms: Vec<ModelTerm>,
    filter: Box<dyn Fn(&Sample) -> bool>,
}

fn case(
    name: &'static str,
    text: &str,
    build: impl FnOnce(SearchQuery) -> SearchQuery,
    filter: impl Fn(&Sample) -> bool + 'static,
) -> Case {
    let query = build(SearchQuery::new(text).unwrap().with_limit(500).unwrap());
    let terms = query
        .text()
        .terms()
        .map(|(t, prefix)| ModelTerm::new(t, prefix))
        .collect();
    Case {
        name,
        query,
        terms,
        filter: Box::new(filter),
    }
}

impl World {
    /// Indices of the samples the model says match, most recently stored
    /// first.
    fn expected(&self, case: &Case) -> Vec<usize> {
        let mut found: Vec<usize> = (0..self.samples.len())
            .filter(|&i| {
                (case.filter)(&self.samples[i])
                    && case.terms.iter().all(|t| matches(t, &self.tokens[i]))
            })
            .collect();
        found.sort_by_key(|&i| std::cmp::Reverse(self.inserted[i]));
        found
    }

    fn id_index(&self) -> std::collections::HashMap<[u8; 16], usize> {
        self.samples
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect()
    }

    fn check(&self, case: &Case, index: &std::collections::HashMap<[u8; 16], usize>) -> usize {
        let expected = self.expected(case);
        let limit = 500;
        for order in [SearchOrder::Recency, SearchOrder::Relevance] {
            let results = self
                .officer
                .engine
                .search(&case.query.clone().with_order(order))
                .unwrap();
            let got: Vec<usize> = results
                .hits
                .iter()
                .map(|h| index[&h.message.message_id.0])
                .collect();
            let unique: HashSet<usize> = got.iter().copied().collect();
            assert_eq!(unique.len(), got.len(), "{}: duplicate hits", case.name);
            match order {
                SearchOrder::Recency => {
                    let want: Vec<usize> = expected.iter().copied().take(limit).collect();
                    assert_eq!(
                        got, want,
                        "{}: recency results differ from the scan",
                        case.name
                    );
                }
                SearchOrder::Relevance => {
                    // Ranked among the most recent matches only.
                    let window = usize::try_from(RELEVANCE_WINDOW).unwrap();
                    let ranked: HashSet<usize> = expected.iter().copied().take(window).collect();
                    assert_eq!(got.len(), expected.len().min(limit), "{}: count", case.name);
                    assert!(
                        unique.is_subset(&ranked),
                        "{}: a hit the scan does not find among the latest matches",
                        case.name
                    );
                }
            }
            let highest = results.hits.iter().map(|h| h.message.label.rank()).max();
            assert_eq!(
                results.highest.as_ref().map(|l| l.rank()),
                highest,
                "{}: banner label",
                case.name
            );
            for hit in &results.hits {
                let sample = &self.samples[index[&hit.message.message_id.0]];
                assert_eq!(hit.channel, self.channels[sample.channel]);
                assert_eq!(hit.message.body, sample.body);
                assert_eq!(
                    hit.message.portion_marking,
                    hit.message.label.portion_marking()
                );
                assert!(
                    !hit.snippet.is_empty(),
                    "{}: every hit has a snippet",
                    case.name
                );
            }
        }
        expected.len()
    }
}

#[test]
fn search_matches_a_naive_scan_over_100k_messages() {
    let world = world(100_000, 7);
    let index = world.id_index();
    let vocabulary = vocabulary(3000);
    let rare = vocabulary[2900].clone();
    let mid = vocabulary[400].clone();
    let rare_prefix = format!("{}*", &rare[..rare.len() - 1]);
    let sender = world.senders[2].id.clone();
    let channel0 = world.channels[0].clone();
    let from = world.samples[20_000].sent_at_ms;
    let to = world.samples[60_000].sent_at_ms;
    let cases = vec![
        case("frequent word", "convoy", |q| q, |_| true),
        case("word in any case", "CONVOY", |q| q, |_| true),
        case("mid-frequency word", &mid, |q| q, |_| true),
        case("rare word", &rare, |q| q, |_| true),
        case("two words", "bridge engineers", |q| q, |_| true),
        case(
            "three words",
            &format!("convoy river {mid}"),
            |q| q,
            |_| true,
        ),
        case("prefix", "conv*", |q| q, |_| true),
        case("rare prefix", &rare_prefix, |q| q, |_| true),
        case("punctuation around a word", "(bridge)!!", |q| q, |_| true),
        case("joined words are a phrase", "the-convoy", |q| q, |_| true),
        case("absent word", "zzzzqqq", |q| q, |_| true),
        case(
            "channel filter",
            "checkpoint",
            |q| q.with_channel(channel0),
            |s| s.channel == 0,
        ),
        case(
            "sender filter",
            "patrol",
            |q| q.with_sender(sender),
            |s| s.sender == 2,
        ),
        case(
            "classification filter",
            "route",
            |q| q.with_classification(CLASSIFICATIONS[3]),
            |s| s.level == 3,
        ),
        case(
            "classification filter as typed: any case",
            "route",
            |q| q.with_classification(CLASSIFICATIONS[3].to_lowercase()),
            |s| s.level == 3,
        ),
        case(
            "classification filter as typed: the portion abbreviation",
            "route",
            |q| q.with_classification("ns"),
            |s| s.level == 3,
        ),
        case(
            "precedence filter",
            "report",
            |q| q.with_precedence(Precedence::Flash),
            |s| s.precedence == Precedence::Flash,
        ),
        case(
            "date range",
            "supply",
            |q| q.with_sent_between(Some(from), Some(to)).unwrap(),
            move |s| s.sent_at_ms >= from && s.sent_at_ms <= to,
        ),
        case(
            "filters only",
            "",
            |q| {
                q.with_precedence(Precedence::Flash)
                    .with_classification(CLASSIFICATIONS[2])
            },
            |s| s.precedence == Precedence::Flash && s.level == 2,
        ),
        case(
            "every filter at once",
            "the",
            |q| {
                q.with_channel(world.channels[1].clone())
                    .with_sender(world.senders[1].id.clone())
                    .with_classification(CLASSIFICATIONS[0])
                    .with_precedence(Precedence::Routine)
                    .with_sent_between(Some(from), None)
                    .unwrap()
            },
            move |s| {
                s.channel == 1
                    && s.sender == 1
                    && s.level == 0
                    && s.precedence == Precedence::Routine
                    && s.sent_at_ms >= from
            },
        ),
    ];
    let mut sizes = Vec::new();
    for case in &cases {
        sizes.push((case.name, world.check(case, &index)));
    }
    // The cases cover empty, small and over-the-limit result sets.
    assert!(sizes.iter().any(|(_, n)| *n == 0));
    assert!(sizes.iter().any(|(_, n)| *n > 0 && *n < 500));
    assert!(sizes.iter().any(|(_, n)| *n > 500), "{sizes:?}");
}

#[test]
fn snippets_highlight_matches_and_drop_forged_markers() {
    let gbr = nation("GBR");
    let me = identity(&gbr, "gbr.smith", "NATO SECRET");
    let officer = officer(&me, None);
    let body = "Forged \u{2}highlight\u{3} near the convoy at checkpoint K7".to_owned();
    let message = me.bulk_message(
        super::fixture::message_id(),
        &label(super::fixture::DEFAULT),
        Precedence::Routine,
        body,
        now_ms(),
    );
    officer.bulk_channel(&policy("Cell", &["gbr.smith"], &[&gbr]), &[message]);
    let results = officer
        .engine
        .search(&SearchQuery::new("convoy").unwrap())
        .unwrap();
    let snippet = &results.hits[0].snippet;
    assert!(snippet.contains("\u{2}convoy\u{3}"), "{snippet:?}");
    assert_eq!(snippet.matches('\u{2}').count(), 1, "{snippet:?}");
    assert_eq!(snippet.matches('\u{3}').count(), 1, "{snippet:?}");
    assert!(snippet.contains("Forged highlight"), "{snippet:?}");
    assert_eq!(results.hits[0].message.verification, Verification::Own);
}

#[test]
fn diacritics_and_case_are_ignored() {
    let fra = nation("FRA");
    let me = identity(&fra, "fra.martin", "NATO SECRET");
    let officer = officer(&me, None);
    let message = me.bulk_message(
        super::fixture::message_id(),
        &label(super::fixture::DEFAULT),
        Precedence::Routine,
        "Réunion de sécurité à la FRONTIÈRE".to_owned(),
        now_ms(),
    );
    officer.bulk_channel(&policy("Cell", &["fra.martin"], &[&fra]), &[message]);
    for text in ["securite", "frontiere", "RÉUNION", "sécu*"] {
        let results = officer
            .engine
            .search(&SearchQuery::new(text).unwrap())
            .unwrap();
        assert_eq!(results.hits.len(), 1, "{text}");
    }
}

#[test]
fn unknown_classification_and_empty_search_are_typed_errors() {
    let gbr = nation("GBR");
    let officer = officer(&identity(&gbr, "gbr.smith", "NATO SECRET"), None);
    let unknown = SearchQuery::new("convoy")
        .unwrap()
        .with_classification("GALACTIC SECRET");
    assert!(matches!(
        officer.engine.search(&unknown),
        Err(ArchiveError::Search(SearchError::UnknownClassification(_)))
    ));
    assert!(matches!(
        officer.engine.search(&SearchQuery::new("   ").unwrap()),
        Err(ArchiveError::Search(SearchError::Empty))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever is typed, the search answers or refuses with a typed
    /// search error: never a panic, never an FTS5 syntax error.
    #[test]
    fn any_typed_text_is_answered_or_refused_cleanly(
        text in prop_oneof![
            ".{0,64}",
            proptest::collection::vec(
                prop_oneof![
                    Just("\"".to_owned()), Just("*".to_owned()), Just("(".to_owned()),
                    Just(")".to_owned()), Just("NEAR".to_owned()), Just("OR".to_owned()),
                    Just("AND".to_owned()), Just("NOT".to_owned()), Just("body:".to_owned()),
                    Just("^".to_owned()), Just("-".to_owned()), Just("+".to_owned()),
                    Just("{".to_owned()), Just("}".to_owned()), Just(":".to_owned()),
                    Just("convoy".to_owned()), Just(" ".to_owned()), Just("\0".to_owned()),
                    "[a-z]{1,6}",
                ],
                0..12,
            ).prop_map(|parts| parts.concat()),
        ]
    ) {
        thread_local! {
            static OFFICER: Officer = {
                let gbr = nation("GBR");
                let me = identity(&gbr, "gbr.smith", "NATO SECRET");
                let officer = officer(&me, None);
                let message = me.bulk_message(
                    super::fixture::message_id(),
                    &label(super::fixture::DEFAULT),
                    Precedence::Routine,
                    "Convoy NEAR the bridge OR the checkpoint (body: AND)".to_owned(),
                    now_ms(),
                );
                officer.bulk_channel(&policy("Cell", &["gbr.smith"], &[&gbr]), &[message]);
                officer
            };
        }
        match SearchQuery::new(&text) {
            Err(_) => {}
            Ok(query) => OFFICER.with(|officer| match officer.engine.search(&query) {
                Ok(_) | Err(ArchiveError::Search(_)) => {}
                Err(other) => panic!("{text:?}: {other}"),
            }),
        }
    }
}

#[test]
fn relevance_puts_the_best_match_first_and_recency_the_newest() {
    let gbr = nation("GBR");
    let me = identity(&gbr, "gbr.smith", "NATO SECRET");
    let officer = officer(&me, None);
    let now = now_ms();
    let bodies = [
        "Convoy convoy convoy at the bridge",
        "The weather report mentions a convoy somewhere among many other words today",
        "Nothing relevant here",
    ];
    let messages: Vec<_> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            me.bulk_message(
                super::fixture::message_id(),
                &label(super::fixture::DEFAULT),
                Precedence::Routine,
                (*body).to_owned(),
                now + u64::try_from(i).unwrap(),
            )
        })
        .collect();
    officer.bulk_channel(&policy("Cell", &["gbr.smith"], &[&gbr]), &messages);
    let bodies_in = |order| -> Vec<String> {
        officer
            .engine
            .search(&SearchQuery::new("convoy").unwrap().with_order(order))
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.message.body)
            .collect()
    };
    assert_eq!(bodies_in(SearchOrder::Relevance)[0], bodies[0]);
    assert_eq!(bodies_in(SearchOrder::Recency)[0], bodies[1]);
    assert_eq!(SearchOrder::default(), SearchOrder::Recency);
}
