//! Property tests: dominance is a preorder whose equivalence is "same
//! protection", admission respects it, and both encodings round-trip.

use proptest::prelude::*;

use super::super::{Label, LabelError, Nationality, PolicyRegistry};
use super::nato;
use super::strategies::{admitting, any_label, clearance_of, dominating, equivalent, label_of};

/// The label without originator and creation time, which markings omit.
fn without_provenance(label: &Label) -> Label {
    Label::parse_marking_for(&label.marking(), label.policy()).unwrap()
}

/// The parts dominance looks at.
fn protection(label: &Label) -> impl PartialEq + std::fmt::Debug {
    let other_permissive: Vec<_> = label
        .permissive_tags()
        .iter()
        .filter(|tag| tag.category() != label.policy().releasability().name())
        .cloned()
        .collect();
    (
        label.policy_id().to_owned(),
        label.rank(),
        label.restrictive_tags().clone(),
        other_permissive,
        label.releasable_to(),
    )
}

fn nationality() -> impl Strategy<Value = Nationality> {
    prop::sample::select(vec!["AUS", "FRA", "GBR", "NZL", "USA", "TUR"])
        .prop_map(|code| code.parse().unwrap())
}

proptest! {
    #[test]
    fn dominance_is_reflexive(label in any_label()) {
        prop_assert!(label.dominates(&label));
    }

    #[test]
    fn mutual_dominance_means_equal_protection(
        (a, b) in label_of(nato()).prop_flat_map(|a| {
            let b = prop_oneof![
                Just(equivalent(&a)),
                dominating(a.clone()),
                label_of(nato()),
            ];
            (Just(a), b)
        })
    ) {
        let mutual = a.dominates(&b) && b.dominates(&a);
        prop_assert_eq!(mutual, protection(&a) == protection(&b));
    }

    #[test]
    fn dominance_is_transitive(
        (a, b, c) in label_of(nato())
            .prop_flat_map(|c| {
                let b = prop_oneof![dominating(c.clone()), label_of(nato())];
                (b, Just(c))
            })
            .prop_flat_map(|(b, c)| {
                let a = prop_oneof![dominating(b.clone()), label_of(nato())];
                (a, Just(b), Just(c))
            })
    ) {
        if a.dominates(&b) && b.dominates(&c) {
            prop_assert!(a.dominates(&c));
        }
    }

    #[test]
    fn dominance_chains_are_transitive(
        (c, b, a) in label_of(nato())
            .prop_flat_map(|c| (Just(c.clone()), dominating(c)))
            .prop_flat_map(|(c, b)| (Just(c), Just(b.clone()), dominating(b)))
    ) {
        prop_assert!(b.dominates(&c));
        prop_assert!(a.dominates(&b));
        prop_assert!(a.dominates(&c));
    }

    #[test]
    fn labels_of_different_policies_never_dominate(a in any_label(), b in any_label()) {
        if a.policy_id() != b.policy_id() {
            prop_assert!(!a.dominates(&b));
        }
    }

    #[test]
    fn a_clearance_admitting_the_ceiling_admits_what_it_dominates(
        (label, ceiling, clearance, nationality) in label_of(nato())
            .prop_flat_map(|label| (Just(label.clone()), dominating(label)))
            .prop_flat_map(|(label, ceiling)| {
                let clearance = prop_oneof![admitting(ceiling.clone()), clearance_of(nato())];
                let nations: Vec<Nationality> = ceiling.releasable_to().into_iter().collect();
                let nationality = prop_oneof![prop::sample::select(nations), nationality()];
                (Just(label), Just(ceiling), clearance, nationality)
            })
    ) {
        if clearance.admits(&ceiling, &nationality).is_ok() {
            prop_assert_eq!(clearance.admits(&label, &nationality), Ok(()));
        }
    }

    #[test]
    fn a_clearance_built_to_the_rules_admits_the_label(
        (label, clearance, nationality) in label_of(nato()).prop_flat_map(|label| {
            let nations: Vec<Nationality> = label.releasable_to().into_iter().collect();
            (admitting(label.clone()), prop::sample::select(nations), Just(label))
        }).prop_map(|(clearance, nationality, label)| (label, clearance, nationality))
    ) {
        prop_assert_eq!(clearance.admits(&label, &nationality), Ok(()));
    }

    #[test]
    fn encoding_round_trips(label in any_label()) {
        let bytes = label.to_bytes();
        let back = Label::from_bytes(&bytes, &PolicyRegistry::builtin()).unwrap();
        prop_assert_eq!(back.to_bytes(), bytes);
        prop_assert_eq!(back, label);
    }

    #[test]
    fn marking_round_trips(label in any_label()) {
        let back = Label::parse_marking(&label.marking(), &PolicyRegistry::builtin()).unwrap();
        prop_assert_eq!(back.marking(), label.marking());
        prop_assert_eq!(back.originator(), None);
        prop_assert_eq!(back, without_provenance(&label));
    }

    #[test]
    fn marking_keeps_everything_but_provenance(label in any_label()) {
        let back = without_provenance(&label);
        prop_assert_eq!(protection(&back), protection(&label));
        prop_assert_eq!(back.privacy_mark(), label.privacy_mark());
    }

    #[test]
    fn edited_encodings_are_refused_or_canonical(
        label in any_label(),
        position in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        cut in any::<prop::sample::Index>(),
    ) {
        let registry = PolicyRegistry::builtin();
        let mut edited = label.to_bytes();
        let at = position.index(edited.len());
        edited[at] = byte;
        if let Ok(decoded) = Label::from_bytes(&edited, &registry) {
            prop_assert_eq!(decoded.to_bytes(), edited.clone());
        }
        let end = cut.index(edited.len());
        if let Ok(decoded) = Label::from_bytes(&edited[..end], &registry) {
            prop_assert_eq!(decoded.to_bytes(), edited[..end].to_vec());
        }
    }

    #[test]
    fn marking_text_never_panics_and_reparses_to_itself(text in "[A-Z /,()]{0,40}|NATO SECRET//[A-Z /,]{0,30}") {
        let registry = PolicyRegistry::builtin();
        if let Ok(label) = Label::parse_marking(&text, &registry) {
            let again = Label::parse_marking(&label.marking(), &registry);
            prop_assert_eq!(again, Ok(label));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let registry = PolicyRegistry::builtin();
        match Label::from_bytes(&bytes, &registry) {
            Ok(label) => prop_assert_eq!(label.to_bytes(), bytes),
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
    }

    #[test]
    fn decoding_plausible_headers_never_panics(
        tail in prop::collection::vec(any::<u8>(), 0..128),
        flags in 0u8..8,
    ) {
        let mut bytes = vec![1, flags, 4];
        bytes.extend_from_slice(b"NATO");
        bytes.push(11);
        bytes.extend_from_slice(b"NATO SECRET");
        bytes.extend_from_slice(&tail);
        let result = Label::from_bytes(&bytes, &PolicyRegistry::builtin());
        if let Ok(label) = &result {
            prop_assert_eq!(label.to_bytes(), bytes);
        } else {
            let unknown_policy = matches!(result, Err(LabelError::UnknownPolicy { .. }));
            prop_assert!(!unknown_policy);
        }
    }
}

/// The strategies above must make the properties' premises common, or the
/// properties would hold vacuously.
#[test]
fn property_premises_are_not_vacuous() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let triples = label_of(nato())
        .prop_flat_map(|c| {
            (
                prop_oneof![dominating(c.clone()), label_of(nato())],
                Just(c),
            )
        })
        .prop_flat_map(|(b, c)| {
            (
                prop_oneof![dominating(b.clone()), label_of(nato())],
                Just(b),
                Just(c),
            )
        });
    let mut chains = 0;
    for _ in 0..200 {
        let (a, b, c) = triples.new_tree(&mut runner).unwrap().current();
        if a.dominates(&b) && b.dominates(&c) {
            chains += 1;
        }
    }
    assert!(chains >= 20, "only {chains} chains in 200 triples");
}
