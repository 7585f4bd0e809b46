use super::super::{Clearance, ClearanceAttribute, LabelError, NotAdmitted, PolicyRegistry};
use super::{label, nation, nato, usa};

fn nato_secret_atomal() -> Clearance {
    Clearance::builder(&nato(), "NATO SECRET")
        .tag("Special Category", "ATOMAL")
        .tag("Mission", "KFOR")
        .build()
        .unwrap()
}

#[test]
fn clearance_admits_a_label_it_fully_covers() {
    let nato = nato();
    let clearance = nato_secret_atomal();
    let fra = nation("FRA");
    for text in [
        "NATO SECRET",
        "NATO RESTRICTED//REL TO FRA",
        "NATO SECRET//ATOMAL//MISSION KFOR, NRF//REL TO NATO",
    ] {
        assert_eq!(
            clearance.admits(&label(&nato, text), &fra),
            Ok(()),
            "{text}"
        );
    }
}

#[test]
fn clearance_below_the_label_is_refused() {
    let error = nato_secret_atomal()
        .admits(&label(&nato(), "COSMIC TOP SECRET"), &nation("FRA"))
        .unwrap_err();
    assert_eq!(
        error,
        NotAdmitted::LevelTooLow {
            held: "NATO SECRET".to_owned(),
            required: "COSMIC TOP SECRET".to_owned(),
        }
    );
}

#[test]
fn every_caveat_must_be_held() {
    let error = nato_secret_atomal()
        .admits(
            &label(&nato(), "NATO SECRET//ATOMAL/CRYPTO"),
            &nation("FRA"),
        )
        .unwrap_err();
    assert_eq!(
        error,
        NotAdmitted::MissingCaveat {
            category: "Special Category".to_owned(),
            value: "CRYPTO".to_owned(),
        }
    );
}

#[test]
fn nationality_must_be_in_the_effective_rel_to() {
    let clearance = nato_secret_atomal();
    let nato = nato();
    let aus = nation("AUS");
    assert_eq!(
        clearance.admits(&label(&nato, "NATO SECRET"), &aus),
        Err(NotAdmitted::NotReleasable { nationality: aus })
    );
    assert_eq!(
        clearance.admits(&label(&nato, "NATO SECRET//REL TO FVEY"), &aus),
        Ok(())
    );
    assert!(
        clearance
            .admits(&label(&nato, "NATO SECRET//REL TO FVEY"), &nation("FRA"))
            .is_err()
    );
}

#[test]
fn one_value_of_each_other_permissive_set_must_be_held() {
    let error = nato_secret_atomal()
        .admits(
            &label(&nato(), "NATO SECRET//MISSION EFP, NRF"),
            &nation("FRA"),
        )
        .unwrap_err();
    assert_eq!(
        error,
        NotAdmitted::MissingPermissive {
            category: "Mission".to_owned()
        }
    );
}

#[test]
fn clearance_of_another_policy_admits_nothing() {
    let us = Clearance::builder(&usa(), "TOP SECRET").build().unwrap();
    assert!(matches!(
        us.admits(&label(&nato(), "NATO UNCLASSIFIED"), &nation("USA")),
        Err(NotAdmitted::WrongPolicy { .. })
    ));
}

#[test]
fn clearance_builder_checks_its_parts() {
    let nato = nato();
    assert!(matches!(
        Clearance::builder(&nato, "SECRET").build(),
        Err(LabelError::UnknownClassification { .. })
    ));
    assert_eq!(
        Clearance::builder(&nato, "NATO SECRET")
            .tag("Releasable To", "FRA")
            .build(),
        Err(LabelError::ReleasabilityInClearance)
    );
    assert!(matches!(
        Clearance::builder(&nato, "NATO SECRET")
            .tag("Special Category", "UMBRA")
            .build(),
        Err(LabelError::UnknownValue { .. })
    ));
}

#[test]
fn attribute_lists_every_level_up_to_the_clearance_and_the_tag_oids() {
    let attribute = nato_secret_atomal().to_attribute();
    assert_eq!(
        attribute,
        ClearanceAttribute {
            policy_oid: "1.3.6.1.4.1.32473.4774.1".to_owned(),
            // unclassified, restricted, confidential, secret
            class_list: 0b0001_1110,
            categories: vec![
                ("1.3.6.1.4.1.32473.4774.1.1".to_owned(), "ATOMAL".to_owned()),
                ("1.3.6.1.4.1.32473.4774.1.2".to_owned(), "KFOR".to_owned()),
            ],
        }
    );
    let back = Clearance::from_attribute(&attribute, &PolicyRegistry::builtin()).unwrap();
    assert_eq!(back, nato_secret_atomal());
}

#[test]
fn highest_mapped_bit_is_the_level_and_unmapped_bits_are_ignored() {
    let registry = PolicyRegistry::builtin();
    let read = |policy_oid: &str, class_list: u8| {
        Clearance::from_attribute(
            &ClearanceAttribute {
                policy_oid: policy_oid.to_owned(),
                class_list,
                categories: Vec::new(),
            },
            &registry,
        )
    };
    let nato_oid = "1.3.6.1.4.1.32473.4774.1";
    // secret alone, with unmarked (0) and the free bits 6 and 7 set.
    let clearance = read(nato_oid, 0b1101_0001).unwrap();
    assert_eq!(clearance.level().name(), "NATO SECRET");
    // USA maps no level to restricted (bit 2).
    assert!(matches!(
        read("1.3.6.1.4.1.32473.4774.3", 0b0000_0100),
        Err(LabelError::NoMappedClassification { .. })
    ));
    assert!(matches!(
        read("1.3.6.1.4.1.32473.4774.9", 0b0000_0010),
        Err(LabelError::UnknownPolicyOid { .. })
    ));
}

#[test]
fn attribute_with_an_unknown_category_or_value_is_refused() {
    let registry = PolicyRegistry::builtin();
    let with_category = |oid: &str, value: &str| {
        Clearance::from_attribute(
            &ClearanceAttribute {
                policy_oid: "1.3.6.1.4.1.32473.4774.1".to_owned(),
                class_list: 0b0001_0000,
                categories: vec![(oid.to_owned(), value.to_owned())],
            },
            &registry,
        )
    };
    assert!(matches!(
        with_category("1.3.6.1.4.1.32473.4774.1.9", "ATOMAL"),
        Err(LabelError::UnknownCategoryOid { .. })
    ));
    assert!(matches!(
        with_category("1.3.6.1.4.1.32473.4774.1.1", "UMBRA"),
        Err(LabelError::UnknownValue { .. })
    ));
    assert_eq!(
        with_category("1.3.6.1.4.1.32473.4774.1.3", "FRA"),
        Err(LabelError::ReleasabilityInClearance)
    );
}
