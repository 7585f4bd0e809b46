//! Generators of valid labels and clearances over the built-in policies.
//!
//! Tag values come from small pools so that random pairs and triples of
//! labels are often comparable, which keeps the dominance properties from
//! holding only vacuously.

use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::subsequence;

use super::super::{CategoryKind, Clearance, Label, LabelPolicy};
use super::{gbr, nato, usa};

/// Releasability values tried: nations in and out of NATO, and communities.
const RELEASABILITY_POOL: [&str; 8] = ["AUS", "CAN", "FRA", "GBR", "NZL", "USA", "FVEY", "NATO"];

/// Every (category, value) pair of the policy's categories of this kind.
fn pairs(policy: &LabelPolicy, kind: CategoryKind) -> Vec<(String, String)> {
    policy
        .categories()
        .iter()
        .filter(|category| category.kind() == kind)
        .flat_map(|category| {
            category
                .values()
                .iter()
                .map(|value| (category.name().to_owned(), value.clone()))
        })
        .collect()
}

/// A label of any built-in policy.
pub(super) fn any_label() -> BoxedStrategy<Label> {
    prop_oneof![label_of(nato()), label_of(gbr()), label_of(usa())].boxed()
}

/// A label of one policy, with or without privacy mark, originator and time.
pub(super) fn label_of(policy: Arc<LabelPolicy>) -> BoxedStrategy<Label> {
    let restrictive = pairs(&policy, CategoryKind::Restrictive);
    let permissive = pairs(&policy, CategoryKind::Permissive);
    let restrictive_len = restrictive.len();
    let permissive_len = permissive.len();
    (
        0..policy.levels().len(),
        subsequence(restrictive, 0..=restrictive_len),
        subsequence(permissive, 0..=permissive_len),
        subsequence(RELEASABILITY_POOL.to_vec(), 0..=3),
        proptest::option::of("[A-Z]{1,8}( [A-Z/]{1,8}){0,2}"),
        proptest::option::of("[a-z][a-z0-9.@-]{0,20}"),
        proptest::option::of(any::<u64>()),
    )
        .prop_map(
            move |(rank, restrictive, permissive, released, mark, originator, time)| {
                let mut builder = Label::builder(&policy, policy.levels()[rank].name());
                for (category, value) in restrictive {
                    builder = builder.restrictive(category, value);
                }
                for (category, value) in permissive {
                    builder = builder.permissive(category, value);
                }
                for value in released {
                    builder = builder.releasable_to(value);
                }
                if let Some(mark) = mark.filter(|mark| !mark.contains("//")) {
                    builder = builder.privacy_mark(mark);
                }
                if let Some(originator) = originator {
                    builder = builder.originator(originator);
                }
                if let Some(time) = time {
                    builder = builder.created_at(time);
                }
                builder.build().unwrap()
            },
        )
        .boxed()
}

/// A label that dominates `label`: a level at least as high, its caveats and
/// maybe more, a non-empty subset of its effective REL TO, and in each other
/// permissive category a subset of its values (any values if it has none).
pub(super) fn dominating(label: Label) -> BoxedStrategy<Label> {
    let policy = Arc::clone(label.policy());
    let extra = pairs(&policy, CategoryKind::Restrictive);
    let extra_len = extra.len();
    let nations: Vec<String> = label
        .releasable_to()
        .iter()
        .map(ToString::to_string)
        .collect();
    let nations_len = nations.len();
    let permissive: Vec<BoxedStrategy<Vec<(String, String)>>> = policy
        .categories()
        .iter()
        .filter(|category| category.kind() == CategoryKind::Permissive)
        .map(|category| {
            let held: Vec<(String, String)> = label
                .permissive_tags()
                .iter()
                .filter(|tag| tag.category() == category.name())
                .map(|tag| (tag.category().to_owned(), tag.value().to_owned()))
                .collect();
            if held.is_empty() {
                let all: Vec<(String, String)> = category
                    .values()
                    .iter()
                    .map(|value| (category.name().to_owned(), value.clone()))
                    .collect();
                let len = all.len();
                subsequence(all, 0..=len).boxed()
            } else {
                let len = held.len();
                subsequence(held, 1..=len).boxed()
            }
        })
        .collect();
    (
        label.rank()..policy.levels().len(),
        subsequence(extra, 0..=extra_len),
        subsequence(nations, 1..=nations_len),
        permissive,
    )
        .prop_map(move |(rank, extra, nations, permissive)| {
            let mut builder = Label::builder(&policy, policy.levels()[rank].name());
            for tag in label.restrictive_tags() {
                builder = builder.restrictive(tag.category(), tag.value());
            }
            for (category, value) in extra {
                builder = builder.restrictive(category, value);
            }
            for nation in nations {
                builder = builder.releasable_to(nation);
            }
            for (category, value) in permissive.into_iter().flatten() {
                builder = builder.permissive(category, value);
            }
            builder.build().unwrap()
        })
        .boxed()
}

/// A label with the same protection as `label` (so each dominates the
/// other) written differently: REL TO as the explicit list of its effective
/// nations, and no privacy mark, originator or time.
pub(super) fn equivalent(label: &Label) -> Label {
    let policy = label.policy();
    let mut builder = Label::builder(policy, label.classification());
    for tag in label.restrictive_tags() {
        builder = builder.restrictive(tag.category(), tag.value());
    }
    for tag in label.permissive_tags() {
        if tag.category() != policy.releasability().name() {
            builder = builder.permissive(tag.category(), tag.value());
        }
    }
    for nation in label.releasable_to() {
        builder = builder.releasable_to(nation);
    }
    builder.build().unwrap()
}

/// A clearance that admits `label` for any nationality in its REL TO: a
/// level at least the label's, its caveats and maybe more, and one value of
/// each of its other permissive sets and maybe more.
pub(super) fn admitting(label: Label) -> BoxedStrategy<Clearance> {
    let policy = Arc::clone(label.policy());
    let mut extra = pairs(&policy, CategoryKind::Restrictive);
    extra.extend(pairs(&policy, CategoryKind::Permissive));
    let extra_len = extra.len();
    let one_of_each: Vec<BoxedStrategy<Option<(String, String)>>> = policy
        .categories()
        .iter()
        .filter(|category| category.kind() == CategoryKind::Permissive)
        .map(|category| {
            let values: Vec<(String, String)> = label
                .permissive_tags()
                .iter()
                .filter(|tag| tag.category() == category.name())
                .map(|tag| (tag.category().to_owned(), tag.value().to_owned()))
                .collect();
            if values.is_empty() {
                Just(None).boxed()
            } else {
                prop::sample::select(values).prop_map(Some).boxed()
            }
        })
        .collect();
    (
        label.rank()..policy.levels().len(),
        subsequence(extra, 0..=extra_len),
        one_of_each,
    )
        .prop_map(move |(rank, extra, one_of_each)| {
            let mut builder = Clearance::builder(&policy, policy.levels()[rank].name());
            for tag in label.restrictive_tags() {
                builder = builder.tag(tag.category(), tag.value());
            }
            for (category, value) in extra.into_iter().chain(one_of_each.into_iter().flatten()) {
                builder = builder.tag(category, value);
            }
            builder.build().unwrap()
        })
        .boxed()
}

/// A clearance of one policy.
pub(super) fn clearance_of(policy: Arc<LabelPolicy>) -> BoxedStrategy<Clearance> {
    let mut held = pairs(&policy, CategoryKind::Restrictive);
    held.extend(pairs(&policy, CategoryKind::Permissive));
    let len = held.len();
    (0..policy.levels().len(), subsequence(held, 0..=len))
        .prop_map(move |(rank, held)| {
            let mut builder = Clearance::builder(&policy, policy.levels()[rank].name());
            for (category, value) in held {
                builder = builder.tag(category, value);
            }
            builder.build().unwrap()
        })
        .boxed()
}
