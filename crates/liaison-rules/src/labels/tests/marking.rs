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
        parse("NATO SECRET//REL TO fra"),
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
