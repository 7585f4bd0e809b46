//! Labels in parts: the structured label picker's side of a label. The
//! window offers a policy's levels, caveats, missions and REL TO values
//! ([`policy_view`]) and sends back the parts chosen ([`LabelSpec`]); the
//! desk builds the label from them with the policy's builder, so no typed
//! marking is ever parsed for a channel policy.

use std::collections::BTreeSet;

use super::label_view::tone;
use super::views::{
    CategoryKindView, CategoryView, CommunityView, ExcessView, LabelField, LabelPolicyView,
    LabelSpec, LevelView, PolicyIssue, TagSpec,
};
use liaison_identity::Nationality;
use liaison_rules::{CategoryKind, Excess, Label, LabelPolicy, PolicyRegistry};

/// Most tags a label in parts may carry; far above what a policy offers,
/// it bounds the work on what the webview sends.
const MAX_SPEC_TAGS: usize = 256;

/// The window's view of a label policy.
pub(crate) fn policy_view(policy: &LabelPolicy) -> LabelPolicyView {
    LabelPolicyView {
        id: policy.id().to_owned(),
        name: policy.name().to_owned(),
        levels: policy
            .levels()
            .iter()
            .map(|level| LevelView {
                name: level.name().to_owned(),
                portion: level.portion().to_owned(),
                colour: level.colour().to_string(),
                tone: tone(level.class_bit()),
            })
            .collect(),
        categories: policy
            .categories()
            .iter()
            .map(|category| CategoryView {
                name: category.name().to_owned(),
                kind: match category.kind() {
                    CategoryKind::Restrictive => CategoryKindView::Restrictive,
                    CategoryKind::Permissive => CategoryKindView::Permissive,
                    CategoryKind::Releasability => CategoryKindView::Releasability,
                },
                prefix: category.prefix().to_owned(),
                value_separator: category.value_separator().to_owned(),
                values: category.values().to_vec(),
                lead: category
                    .lead()
                    .iter()
                    .map(|n| n.as_str().to_owned())
                    .collect(),
            })
            .collect(),
        communities: policy
            .communities()
            .iter()
            .map(|(name, nations)| CommunityView {
                name: name.clone(),
                nations: nations.iter().map(|n| n.as_str().to_owned()).collect(),
            })
            .collect(),
        default_community: policy
            .default_community()
            .iter()
            .map(|n| n.as_str().to_owned())
            .collect(),
        separator: policy.separator().to_owned(),
    }
}

/// The parts of `label`, tags in the label's order. A privacy mark,
/// originator or creation time has no part: the picker does not edit them
/// (a policy edit keeps an unchanged label whole, see `policy.rs`).
pub(crate) fn spec_of(label: &Label) -> LabelSpec {
    LabelSpec {
        policy_id: label.policy_id().to_owned(),
        classification: label.classification().to_owned(),
        tags: label
            .restrictive_tags()
            .iter()
            .chain(label.permissive_tags())
            .map(|tag| TagSpec {
                category: tag.category().to_owned(),
                value: tag.value().to_owned(),
            })
            .collect(),
    }
}

/// Whether two labels in parts name the same label (tags in any order,
/// repeated or not).
pub(crate) fn same_spec(a: &LabelSpec, b: &LabelSpec) -> bool {
    let tags = |spec: &LabelSpec| spec.tags.iter().cloned().collect::<BTreeSet<TagSpec>>();
    a.policy_id == b.policy_id && a.classification == b.classification && tags(a) == tags(b)
}

/// Builds the label `spec` describes; an unknown part is named in the
/// issue (for `field`).
pub(crate) fn build_label(
    spec: &LabelSpec,
    field: LabelField,
    registry: &PolicyRegistry,
) -> Result<Label, PolicyIssue> {
    let unknown = |part: &str| PolicyIssue::UnknownLabelPart {
        field,
        part: part.to_owned(),
    };
    let policy = registry
        .get(&spec.policy_id)
        .ok_or_else(|| unknown(&spec.policy_id))?;
    if policy.level(&spec.classification).is_none() {
        return Err(unknown(&spec.classification));
    }
    if spec.tags.len() > MAX_SPEC_TAGS {
        return Err(unknown("tags"));
    }
    let mut builder = Label::builder(policy, &spec.classification);
    for tag in &spec.tags {
        let category = policy
            .category(&tag.category)
            .ok_or_else(|| unknown(&tag.category))?;
        builder = match category.kind() {
            CategoryKind::Restrictive | CategoryKind::Permissive
                if !category.values().contains(&tag.value) =>
            {
                return Err(unknown(&tag.value));
            }
            CategoryKind::Releasability
                if Nationality::new(&tag.value).is_err()
                    && !policy.communities().contains_key(&tag.value) =>
            {
                return Err(unknown(&tag.value));
            }
            CategoryKind::Restrictive => builder.restrictive(&tag.category, &tag.value),
            CategoryKind::Permissive => builder.permissive(&tag.category, &tag.value),
            CategoryKind::Releasability => builder.releasable_to(&tag.value),
        };
    }
    // Every part was checked above; what the builder could still refuse
    // (more tags than a label holds) is named as the tags.
    builder.build().map_err(|_| unknown("tags"))
}

/// The window's form of why a label exceeds a limit.
pub(crate) fn excess_views(excess: Vec<Excess>) -> Vec<ExcessView> {
    excess
        .into_iter()
        .map(|reason| match reason {
            Excess::OtherPolicy { limit } => ExcessView::OtherPolicy { limit },
            Excess::Level { level, limit } => ExcessView::Level { level, limit },
            Excess::Caveat { category, value } => ExcessView::Caveat { category, value },
            Excess::Restricts { category, values } => ExcessView::Restricts { category, values },
            Excess::LeavesOut { category, values } => ExcessView::LeavesOut { category, values },
            Excess::LeavesOutNations { nations } => ExcessView::LeavesOutNations { nations },
            _ => ExcessView::Other,
        })
        .collect()
}

/// A default label within `ceiling`, as close to `default` as the ceiling
/// allows: the lower of the two levels, the default's caveats the ceiling
/// carries, and the ceiling's missions and REL TO added to the default's
/// (a default may be released more widely than the ceiling, never less).
/// Falls back to the ceiling itself, which is always within itself.
pub(crate) fn fitted_default(default: &Label, ceiling: &Label) -> Label {
    if default.policy_id() != ceiling.policy_id() {
        return ceiling.clone();
    }
    let policy = ceiling.policy();
    let level = if default.rank() <= ceiling.rank() {
        default.classification()
    } else {
        ceiling.classification()
    };
    let mut builder = Label::builder(policy, level);
    for tag in default.restrictive_tags() {
        if ceiling.restrictive_tags().contains(tag) {
            builder = builder.restrictive(tag.category(), tag.value());
        }
    }
    for category in policy.categories() {
        let of = |label: &Label| -> BTreeSet<String> {
            label
                .permissive_tags()
                .iter()
                .filter(|tag| tag.category() == category.name())
                .map(|tag| tag.value().to_owned())
                .collect()
        };
        let (limit, own) = (of(ceiling), of(default));
        let values: BTreeSet<String> = match category.kind() {
            CategoryKind::Restrictive => continue,
            // A category the ceiling does not name restricts nothing there,
            // and the default must not restrict it either.
            CategoryKind::Permissive if limit.is_empty() => BTreeSet::new(),
            CategoryKind::Permissive => own.union(&limit).cloned().collect(),
            // Without REL TO the ceiling goes to the default community,
            // and so does a default without REL TO.
            CategoryKind::Releasability if limit.is_empty() => BTreeSet::new(),
            CategoryKind::Releasability
                if own.is_empty()
                    && ceiling
                        .releasable_to()
                        .is_subset(policy.default_community()) =>
            {
                BTreeSet::new()
            }
            CategoryKind::Releasability => own.union(&limit).cloned().collect(),
        };
        for value in values {
            builder = if category.kind() == CategoryKind::Releasability {
                builder.releasable_to(value)
            } else {
                builder.permissive(category.name(), value)
            };
        }
    }
    match builder.build() {
        Ok(label) if ceiling.dominates(&label) => label,
        _ => ceiling.clone(),
    }
}

/// A NATO label spec releasable to `nations`, for the desk's tests.
#[cfg(test)]
pub(crate) fn nato_spec(level: &str, nations: &[&str]) -> LabelSpec {
    LabelSpec {
        policy_id: "NATO".into(),
        classification: level.into(),
        tags: nations
            .iter()
            .map(|n| super::views::TagSpec {
                category: "Releasable To".into(),
                value: (*n).into(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn registry() -> PolicyRegistry {
        PolicyRegistry::builtin()
    }

    fn marking(text: &str) -> Label {
        Label::parse_marking(text, &registry()).unwrap()
    }

    fn spec(policy: &str, level: &str, tags: &[(&str, &str)]) -> LabelSpec {
        LabelSpec {
            policy_id: policy.into(),
            classification: level.into(),
            tags: tags
                .iter()
                .map(|(category, value)| TagSpec {
                    category: (*category).into(),
                    value: (*value).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn parts_build_the_canonical_label_and_come_back_from_it() {
        let built = build_label(
            &spec(
                "NATO",
                "NATO SECRET",
                &[
                    ("Releasable To", "GBR"),
                    ("Special Category", "CRYPTO"),
                    ("Releasable To", "FRA"),
                    ("Mission", "KFOR"),
                    ("Special Category", "ATOMAL"),
                ],
            ),
            LabelField::Ceiling,
            &registry(),
        )
        .unwrap();
        // The markings the window's own renderer is tested against too
        // (ui/src/lib/labels/spec.test.ts).
        assert_eq!(
            built.marking(),
            "NATO SECRET//ATOMAL/CRYPTO//MISSION KFOR//REL TO FRA, GBR"
        );
        assert!(same_spec(
            &spec_of(&built),
            &spec(
                "NATO",
                "NATO SECRET",
                &[
                    ("Special Category", "ATOMAL"),
                    ("Special Category", "CRYPTO"),
                    ("Mission", "KFOR"),
                    ("Releasable To", "FRA"),
                    ("Releasable To", "GBR"),
                ],
            )
        ));
        let uk = build_label(
            &spec(
                "GBR",
                "UK SECRET",
                &[
                    ("Releasable To", "USA"),
                    ("Releasable To", "FVEY"),
                    ("Releasable To", "GBR"),
                    ("Releasable To", "AUS"),
                ],
            ),
            LabelField::Ceiling,
            &registry(),
        )
        .unwrap();
        assert_eq!(uk.marking(), "UK SECRET//REL TO GBR, AUS, USA, FVEY");
    }

    #[test]
    fn an_unknown_part_is_named_and_nothing_is_built() {
        let cases = [
            (spec("ACME", "NATO SECRET", &[]), "ACME"),
            (spec("NATO", "NATO TOP", &[]), "NATO TOP"),
            (spec("NATO", "NATO SECRET", &[("Colour", "RED")]), "Colour"),
            (
                spec("NATO", "NATO SECRET", &[("Special Category", "FOO")]),
                "FOO",
            ),
            (
                spec("NATO", "NATO SECRET", &[("Releasable To", "gbr")]),
                "gbr",
            ),
            (
                spec("NATO", "NATO SECRET", &[("Releasable To", "EUROPE")]),
                "EUROPE",
            ),
        ];
        for (bad, part) in cases {
            assert_eq!(
                build_label(&bad, LabelField::DefaultLabel, &registry()).unwrap_err(),
                PolicyIssue::UnknownLabelPart {
                    field: LabelField::DefaultLabel,
                    part: part.into()
                }
            );
        }
    }

    #[test]
    fn the_policy_view_offers_what_the_policy_file_states() {
        let nato = policy_view(registry().get("NATO").unwrap());
        assert_eq!(nato.levels.len(), 5);
        assert_eq!(nato.levels[3].name, "NATO SECRET");
        assert_eq!(nato.levels[3].portion, "NS");
        assert_eq!(nato.separator, "//");
        let caveats = &nato.categories[0];
        assert_eq!(caveats.kind, CategoryKindView::Restrictive);
        assert_eq!(caveats.values, ["ATOMAL", "BOHEMIA", "CRYPTO"]);
        let rel = nato
            .categories
            .iter()
            .find(|c| c.kind == CategoryKindView::Releasability)
            .unwrap();
        assert_eq!(rel.prefix, "REL TO ");
        let names: Vec<&str> = nato.communities.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["FVEY", "NATO"]);
        assert!(nato.default_community.contains(&"FRA".to_owned()));
        let uk = policy_view(registry().get("GBR").unwrap());
        let rel = uk.categories.last().unwrap();
        assert_eq!(rel.lead, ["GBR"]);
    }

    #[test]
    fn a_fitted_default_is_within_the_ceiling_and_keeps_what_it_can() {
        let cases = [
            // The ceiling lowered below the default: the level follows.
            (
                "NATO SECRET//REL TO FRA, GBR",
                "NATO CONFIDENTIAL//REL TO FRA, GBR",
                "NATO CONFIDENTIAL//REL TO FRA, GBR",
            ),
            // A caveat removed from the ceiling leaves the default.
            (
                "NATO RESTRICTED//CRYPTO//REL TO FRA, GBR",
                "NATO SECRET//REL TO FRA, GBR",
                "NATO RESTRICTED//REL TO FRA, GBR",
            ),
            // A wider ceiling REL TO widens the default's.
            (
                "NATO RESTRICTED//REL TO FRA, GBR",
                "NATO SECRET//REL TO DEU, FRA, GBR",
                "NATO RESTRICTED//REL TO DEU, FRA, GBR",
            ),
            // A ceiling without REL TO: the default drops its own.
            (
                "NATO RESTRICTED//REL TO GBR",
                "NATO SECRET",
                "NATO RESTRICTED",
            ),
            // A default without REL TO, a ceiling beyond the community.
            (
                "NATO RESTRICTED",
                "NATO SECRET//REL TO AUS, GBR",
                "NATO RESTRICTED//REL TO AUS, GBR",
            ),
            // A mission the ceiling does not name goes; one it names stays.
            (
                "NATO RESTRICTED//MISSION KFOR//REL TO GBR",
                "NATO SECRET//REL TO GBR",
                "NATO RESTRICTED//REL TO GBR",
            ),
        ];
        for (default, ceiling, expected) in cases {
            let (default, ceiling) = (marking(default), marking(ceiling));
            let fitted = fitted_default(&default, &ceiling);
            assert!(ceiling.dominates(&fitted), "{}", fitted.marking());
            assert_eq!(fitted.marking(), expected);
        }
    }
}
