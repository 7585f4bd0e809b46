use super::super::{Label, LabelError, MarkingError};
use super::{gbr, label, nato, usa};
use crate::labels::PolicyRegistry;

fn parse(text: &str) -> Result<Label, LabelError> {
    Label::parse_marking(text, &PolicyRegistry::builtin())
}

#[test]
fn banner_marking_lists_rel_to_alphabetically() {
    let label = Label::builder(&nato(), "NATO SECRET")
        .releasable_to("GBR")
        .releasable_to("FRA")
        .build()
        .unwrap();
    assert_eq!(label.marking(), "NATO SECRET//REL TO FRA, GBR");
    assert_eq!(label.portion_marking(), "(NS//REL TO FRA, GBR)");
}

#[test]
fn label_without_tags_is_its_classification() {
    let label = Label::builder(&nato(), "COSMIC TOP SECRET")
        .build()
        .unwrap();
    assert_eq!(label.marking(), "COSMIC TOP SECRET");
    assert_eq!(label.portion_marking(), "(CTS)");
}

#[test]
fn categories_follow_policy_order_and_values_category_order() {
    let label = Label::builder(&nato(), "COSMIC TOP SECRET")
        .releasable_to("FVEY")
        .releasable_to("DEU")
        .permissive("Mission", "NRF")
        .permissive("Mission", "EFP")
        .restrictive("Special Category", "CRYPTO")
        .restrictive("Special Category", "ATOMAL")
        .build()
        .unwrap();
    assert_eq!(
        label.marking(),
        "COSMIC TOP SECRET//ATOMAL/CRYPTO//MISSION EFP, NRF//REL TO DEU, FVEY"
    );
}

#[test]
fn national_policies_put_their_nation_first_then_nations_then_communities() {
    let us = Label::builder(&usa(), "TOP SECRET")
        .restrictive("SCI Control", "TK")
        .restrictive("SCI Control", "SI")
        .releasable_to("NATO")
        .releasable_to("GBR")
        .releasable_to("AUS")
        .releasable_to("USA")
        .build()
        .unwrap();
    assert_eq!(
        us.marking(),
        "TOP SECRET//SI/TK//REL TO USA, AUS, GBR, NATO"
    );
    assert_eq!(
        us.portion_marking(),
        "(TS//SI/TK//REL TO USA, AUS, GBR, NATO)"
    );
    let uk = label(&gbr(), "UK SECRET//REL TO USA, GBR");
    assert_eq!(uk.marking(), "UK SECRET//REL TO GBR, USA");
}

#[test]
fn privacy_mark_ends_the_banner_but_not_the_portion_marking() {
    let label = Label::builder(&gbr(), "UK OFFICIAL-SENSITIVE")
        .privacy_mark("PERSONAL")
        .build()
        .unwrap();
    assert_eq!(
        label.marking(),
        "UK OFFICIAL-SENSITIVE//PRIVACY MARK PERSONAL"
    );
    assert_eq!(label.portion_marking(), "(OS)");
}

#[test]
fn parsed_marking_renders_back_exactly() {
    for text in [
        "NATO SECRET//REL TO FRA, GBR",
        "NATO UNCLASSIFIED",
        "COSMIC TOP SECRET//ATOMAL/BOHEMIA//MISSION KFOR//REL TO NATO//PRIVACY MARK EYES OF STAFF",
        "UK TOP SECRET//CRYPTO//REL TO GBR, FVEY",
        "TOP SECRET//HCS/SI/TK//REL TO USA, GBR",
        "CONFIDENTIAL",
    ] {
        assert_eq!(parse(text).unwrap().marking(), text);
    }
}

#[test]
fn parser_finds_the_policy_from_the_classification() {
    assert_eq!(parse("UK SECRET").unwrap().policy_id(), "GBR");
    assert_eq!(parse("SECRET").unwrap().policy_id(), "USA");
    assert_eq!(parse("NATO SECRET").unwrap().policy_id(), "NATO");
}

#[test]
fn parser_accepts_any_order_and_spacing_and_renders_canonically() {
    let label = parse("NATO SECRET//REL TO GBR,FRA//CRYPTO/ATOMAL").unwrap();
    assert_eq!(
        label.marking(),
        "NATO SECRET//ATOMAL/CRYPTO//REL TO FRA, GBR"
    );
}

#[test]
fn malformed_markings_are_refused_with_the_reason() {
    let marking_error = |text: &str| match parse(text) {
        Err(LabelError::Marking(error)) => error,
        other => panic!("{text}: {other:?}"),
    };
    assert!(matches!(
        marking_error("NATO SECRETS"),
        MarkingError::UnknownClassification { .. }
    ));
    assert!(matches!(
        marking_error(""),
        MarkingError::UnknownClassification { .. }
    ));
    assert_eq!(marking_error("NATO SECRET//"), MarkingError::EmptySegment);
    assert_eq!(
        marking_error("NATO SECRET////REL TO FRA"),
        MarkingError::EmptySegment
    );
    assert!(matches!(
        marking_error("NATO SECRET//NOFORN"),
        MarkingError::UnknownSegment { .. }
    ));
    assert!(matches!(
        marking_error("NATO SECRET//REL TO FRA//REL TO GBR"),
        MarkingError::DuplicateSegment { .. }
    ));
    assert!(matches!(
        marking_error("NATO SECRET//PRIVACY MARK A//PRIVACY MARK B"),
        MarkingError::DuplicateSegment { .. }
    ));
    assert!(matches!(
        marking_error("NATO SECRET//REL TO FRA, FRA"),
        MarkingError::DuplicateValue { .. }
    ));
    assert!(matches!(
        marking_error("NATO SECRET//REL TO FRA, , GBR"),
        MarkingError::EmptyValue { .. }
    ));
    assert!(matches!(
        marking_error(&"NATO SECRET//".repeat(2000)),
        MarkingError::TooLong { .. }
    ));
}

#[test]
fn marking_with_a_value_the_policy_does_not_list_is_refused() {
    assert!(matches!(
        parse("NATO SECRET//MISSION ISAF"),
        Err(LabelError::UnknownValue { .. })
    ));
    assert!(matches!(
        parse("NATO SECRET//REL TO FRANCE"),
        Err(LabelError::InvalidReleasability { .. })
    ));
    assert!(matches!(
        parse("NATO SECRET//ATOMAL/SI"),
        Err(LabelError::UnknownValue { .. })
    ));
}

#[test]
fn parse_for_a_given_policy_refuses_another_policys_level() {
    assert!(matches!(
        Label::parse_marking_for("SECRET", &nato()),
        Err(LabelError::UnknownClassification { .. })
    ));
    assert!(Label::parse_marking_for("NATO SECRET", &nato()).is_ok());
}

#[test]
fn parser_accepts_spaces_around_separators_runs_of_spaces_and_any_case() {
    let canonical = "NATO SECRET//ATOMAL/CRYPTO//REL TO FRA, GBR, NATO";
    let expected = parse(canonical).unwrap();
    for typed in [
        "nato secret//atomal/crypto//rel to fra, gbr, nato",
        "NATO SECRET // ATOMAL / CRYPTO // REL TO FRA , GBR , NATO",
        "  NATO   SECRET//REL  TO  gbr,fra,Nato//Crypto/Atomal  ",
        "Nato Secret//REL TO FRA,GBR,NATO//ATOMAL/CRYPTO",
    ] {
        let label = parse(typed).unwrap_or_else(|error| panic!("{typed}: {error}"));
        assert_eq!(label, expected, "{typed}");
        assert_eq!(label.marking(), canonical, "{typed}");
    }
    // The privacy mark is free text: its prefix in any case, its own case kept.
    let marked = parse("nato restricted //  privacy mark Staff Only ").unwrap();
    assert_eq!(marked.marking(), "NATO RESTRICTED//PRIVACY MARK Staff Only");
    // The same for a policy given.
    let label = Label::parse_marking_for(" cosmic top secret // rel to nato", &nato()).unwrap();
    assert_eq!(label.marking(), "COSMIC TOP SECRET//REL TO NATO");
}

#[test]
fn case_and_spacing_never_turn_a_marking_into_another_label() {
    // Close to a valid marking is still refused, with the reason.
    assert!(matches!(
        parse("NATO SECRETS//REL TO FRA"),
        Err(LabelError::Marking(
            MarkingError::UnknownClassification { .. }
        ))
    ));
    assert!(matches!(
        parse("NATO SECRET//REL TO FR"),
        Err(LabelError::InvalidReleasability { .. })
    ));
    assert!(matches!(
        parse("nato secret//atomal/si"),
        Err(LabelError::UnknownValue { .. })
    ));
    assert!(matches!(
        parse("NATO SECRET//RELTO FRA"),
        Err(LabelError::Marking(MarkingError::UnknownSegment { .. }))
    ));
    assert!(matches!(
        parse("nato secret//rel to fra, FRA"),
        Err(LabelError::Marking(MarkingError::DuplicateValue { .. }))
    ));
    assert!(matches!(
        parse("NATO SECRET//  //REL TO FRA"),
        Err(LabelError::Marking(MarkingError::EmptySegment))
    ));
}

#[test]
fn an_unknown_classification_lists_the_valid_levels() {
    let Err(error) = parse("NATO SECRETS") else {
        panic!("parsed");
    };
    let text = error.to_string();
    for level in ["NATO UNCLASSIFIED", "NATO SECRET", "COSMIC TOP SECRET"] {
        assert!(text.contains(level), "{text}");
    }
    let Err(error) = Label::parse_marking_for("SECRET", &nato()) else {
        panic!("parsed");
    };
    let text = error.to_string();
    assert!(
        text.contains("NATO RESTRICTED, NATO CONFIDENTIAL"),
        "{text}"
    );
}

proptest::proptest! {
    /// Any label's marking, in any case and with spaces added around its
    /// separators, parses back to that label.
    #[test]
    fn every_marking_in_any_case_and_spacing_is_the_same_label(
        label in super::strategies::any_label(),
        lower in proptest::collection::vec(proptest::bool::ANY, 64),
        spaces in proptest::collection::vec(0_usize..3, 16),
    ) {
        let marking = label.marking();
        let mut space = spaces.iter().cycle().map(|n| " ".repeat(*n));
        let mut lower = lower.iter().cycle();
        let mut segments = Vec::new();
        for segment in marking.split("//") {
            let mut typed = String::new();
            // The privacy mark is free text: its case is kept.
            let free_text = segment.starts_with("PRIVACY MARK ");
            for c in segment.chars() {
                if free_text {
                    typed.push(c);
                } else if c == '/' || c == ',' {
                    typed.push_str(&space.next().unwrap_or_default());
                    typed.push(c);
                    typed.push_str(&space.next().unwrap_or_default());
                } else if c == ' ' {
                    typed.push(' ');
                    typed.push_str(&space.next().unwrap_or_default());
                } else if *lower.next().unwrap_or(&false) {
                    typed.extend(c.to_lowercase());
                } else {
                    typed.push(c);
                }
            }
            segments.push(typed);
        }
        let separator = format!(
            "{}//{}",
            space.next().unwrap_or_default(),
            space.next().unwrap_or_default()
        );
        let typed = segments.join(&separator);
        let parsed = Label::parse_marking(&typed, &PolicyRegistry::builtin())
            .map_err(|error| proptest::test_runner::TestCaseError::fail(format!("{typed}: {error}")))?;
        proptest::prop_assert_eq!(parsed.marking(), marking, "{}", typed);
    }
}
