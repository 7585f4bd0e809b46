use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::super::{CategoryKind, Label, LabelError, LabelPolicy};
use super::{gbr, label, nation, nato, usa};

fn hash_of(label: &Label) -> u64 {
    let mut hasher = DefaultHasher::new();
    label.hash(&mut hasher);
    hasher.finish()
}

#[test]
fn label_keeps_every_part_it_was_built_with() {
    let nato = nato();
    let label = Label::builder(&nato, "NATO SECRET")
        .restrictive("Special Category", "ATOMAL")
        .permissive("Mission", "KFOR")
        .releasable_to("FRA")
        .releasable_to(nation("GBR"))
        .privacy_mark("STAFF IN CONFIDENCE")
        .originator("officer-17@gbr")
        .created_at(1_700_000_000)
        .build()
        .unwrap();
    assert_eq!(label.policy_id(), "NATO");
    assert_eq!(label.classification(), "NATO SECRET");
    assert_eq!(label.rank(), 3);
    assert_eq!(label.colour().to_string(), "#C8102E");
    let caveats: Vec<(&str, &str)> = label
        .restrictive_tags()
        .iter()
        .map(|t| (t.category(), t.value()))
        .collect();
    assert_eq!(caveats, [("Special Category", "ATOMAL")]);
    assert_eq!(label.permissive_tags().len(), 3);
    assert_eq!(label.privacy_mark(), Some("STAFF IN CONFIDENCE"));
    assert_eq!(label.originator(), Some("officer-17@gbr"));
    assert_eq!(label.created_at(), Some(1_700_000_000));
}

#[test]
fn unknown_classification_is_refused() {
    let error = Label::builder(&nato(), "NATO TOP SECRET")
        .build()
        .unwrap_err();
    assert!(matches!(error, LabelError::UnknownClassification { .. }));
}

#[test]
fn unknown_category_and_value_are_refused() {
    let nato = nato();
    assert!(matches!(
        Label::builder(&nato, "NATO SECRET")
            .restrictive("Codeword", "ATOMAL")
            .build(),
        Err(LabelError::UnknownCategory { .. })
    ));
    assert!(matches!(
        Label::builder(&nato, "NATO SECRET")
            .restrictive("Special Category", "UMBRA")
            .build(),
        Err(LabelError::UnknownValue { .. })
    ));
}

#[test]
fn tag_of_the_wrong_kind_is_refused() {
    let nato = nato();
    assert_eq!(
        Label::builder(&nato, "NATO SECRET")
            .restrictive("Releasable To", "FRA")
            .build(),
        Err(LabelError::WrongCategoryKind {
            category: "Releasable To".to_owned(),
            expected: CategoryKind::Restrictive,
            actual: CategoryKind::Releasability,
        })
    );
    assert!(matches!(
        Label::builder(&nato, "NATO SECRET")
            .permissive("Special Category", "ATOMAL")
            .build(),
        Err(LabelError::WrongCategoryKind { .. })
    ));
}

#[test]
fn releasability_must_be_a_nation_code_or_a_community() {
    for value in ["fra", "FRANCE", "EU", ""] {
        assert!(
            matches!(
                Label::builder(&nato(), "NATO SECRET")
                    .releasable_to(value)
                    .build(),
                Err(LabelError::InvalidReleasability { .. })
            ),
            "{value}"
        );
    }
}

#[test]
fn adding_a_tag_twice_is_adding_it_once() {
    let nato = nato();
    let twice = Label::builder(&nato, "NATO SECRET")
        .releasable_to("FRA")
        .releasable_to("FRA")
        .build()
        .unwrap();
    assert_eq!(twice, label(&nato, "NATO SECRET//REL TO FRA"));
}

#[test]
fn privacy_mark_and_originator_texts_are_checked() {
    let nato = nato();
    let with_mark = |mark: &str| {
        Label::builder(&nato, "NATO RESTRICTED")
            .privacy_mark(mark)
            .build()
    };
    for bad in ["", " LEADING", "A//B", "LINE\nBREAK", &"X".repeat(129)] {
        assert!(
            matches!(
                with_mark(bad),
                Err(LabelError::InvalidText {
                    field: "privacy mark",
                    ..
                })
            ),
            "{bad:?}"
        );
    }
    assert!(with_mark(&"X".repeat(128)).is_ok());
    assert!(with_mark("MEDICAL/PERSONAL").is_ok());
    assert!(matches!(
        Label::builder(&nato, "NATO RESTRICTED")
            .originator("tab\there")
            .build(),
        Err(LabelError::InvalidText {
            field: "originator",
            ..
        })
    ));
}

#[test]
fn error_for_a_bad_privacy_mark_does_not_show_the_mark() {
    let error = Label::builder(&nato(), "NATO RESTRICTED")
        .privacy_mark("OPERATION NIGHTJAR//X")
        .build()
        .unwrap_err();
    assert!(!error.to_string().contains("NIGHTJAR"), "{error}");
}

#[test]
fn communities_expand_in_the_effective_rel_to() {
    let label = label(&nato(), "NATO SECRET//REL TO FVEY, FRA");
    let codes: Vec<String> = label
        .releasable_to()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(codes, ["AUS", "CAN", "FRA", "GBR", "NZL", "USA"]);
    assert!(label.is_releasable_to(&nation("NZL")));
    assert!(!label.is_releasable_to(&nation("DEU")));
}

#[test]
fn label_without_rel_to_is_releasable_to_the_default_community() {
    let nato_secret = label(&nato(), "NATO SECRET");
    assert_eq!(nato_secret.releasable_to().len(), 32);
    assert!(nato_secret.is_releasable_to(&nation("TUR")));
    assert!(!nato_secret.is_releasable_to(&nation("AUS")));
    let uk_secret = label(&gbr(), "UK SECRET");
    assert!(uk_secret.is_releasable_to(&nation("GBR")));
    assert!(!uk_secret.is_releasable_to(&nation("USA")));
    assert!(!label(&usa(), "SECRET").is_releasable_to(&nation("GBR")));
}

#[test]
fn equality_and_hash_follow_content_not_the_policy_handle() {
    let first = nato();
    let second = Arc::new(LabelPolicy::clone(&first));
    assert!(!Arc::ptr_eq(&first, &second));
    let a = label(&first, "NATO SECRET//REL TO FRA, GBR");
    let b = label(&second, "NATO SECRET//REL TO GBR, FRA");
    assert_eq!(a, b);
    assert_eq!(hash_of(&a), hash_of(&b));
    assert_ne!(a, label(&first, "NATO SECRET//REL TO FRA"));
}

#[test]
fn community_and_its_nations_are_different_content() {
    let nato = nato();
    assert_ne!(
        label(&nato, "NATO SECRET//REL TO FVEY"),
        label(&nato, "NATO SECRET//REL TO AUS, CAN, GBR, NZL, USA")
    );
}

#[test]
fn labels_policies_and_clearances_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Label>();
    shareable::<LabelPolicy>();
    shareable::<super::super::Clearance>();
    shareable::<super::super::PolicyRegistry>();
    let label = label(&nato(), "NATO SECRET");
    let marking = std::thread::spawn(move || label.marking()).join().unwrap();
    assert_eq!(marking, "NATO SECRET");
}
