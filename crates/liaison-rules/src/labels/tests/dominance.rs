use super::{gbr, label, nato, usa};

#[test]
fn higher_level_with_the_same_tags_dominates() {
    let nato = nato();
    let secret = label(&nato, "NATO SECRET//REL TO FRA, GBR");
    let restricted = label(&nato, "NATO RESTRICTED//REL TO FRA, GBR");
    assert!(secret.dominates(&restricted));
    assert!(!restricted.dominates(&secret));
    assert!(secret.dominates(&secret));
}

#[test]
fn nato_secret_without_rel_to_is_refused_in_a_channel_with_a_non_nato_partner() {
    let nato = nato();
    // GBR-AUS cell: AUS is not a NATO nation.
    let ceiling = label(&nato, "NATO SECRET//REL TO AUS, GBR");
    assert!(!ceiling.dominates(&label(&nato, "NATO SECRET")));
    assert!(!ceiling.dominates(&label(&nato, "NATO RESTRICTED")));
    assert!(ceiling.dominates(&label(&nato, "NATO SECRET//REL TO AUS, GBR")));
    assert!(ceiling.dominates(&label(&nato, "NATO SECRET//REL TO AUS, FRA, GBR")));
    assert!(ceiling.dominates(&label(&nato, "NATO RESTRICTED//REL TO FVEY")));
    assert!(!ceiling.dominates(&label(&nato, "NATO SECRET//REL TO GBR")));
}

#[test]
fn nato_secret_without_rel_to_fits_a_channel_of_nato_nations() {
    let nato = nato();
    let ceiling = label(&nato, "NATO SECRET//REL TO FRA, GBR");
    assert!(ceiling.dominates(&label(&nato, "NATO SECRET")));
    assert!(ceiling.dominates(&label(&nato, "NATO CONFIDENTIAL//REL TO NATO")));
}

#[test]
fn a_caveat_the_ceiling_lacks_is_not_dominated() {
    let nato = nato();
    let ceiling = label(&nato, "COSMIC TOP SECRET//REL TO FRA, GBR");
    let atomal = label(&nato, "NATO SECRET//ATOMAL//REL TO FRA, GBR");
    assert!(!ceiling.dominates(&atomal));
    assert!(atomal.dominates(&label(&nato, "NATO SECRET//REL TO FRA, GBR")));
    assert!(label(&nato, "COSMIC TOP SECRET//ATOMAL/CRYPTO//REL TO FRA, GBR").dominates(&atomal));
}

#[test]
fn absent_permissive_category_restricts_nothing() {
    let nato = nato();
    let open = label(&nato, "NATO SECRET//REL TO GBR");
    let kfor = label(&nato, "NATO SECRET//MISSION KFOR//REL TO GBR");
    let kfor_or_nrf = label(&nato, "NATO SECRET//MISSION KFOR, NRF//REL TO GBR");
    assert!(kfor.dominates(&open));
    assert!(!open.dominates(&kfor));
    assert!(kfor.dominates(&kfor_or_nrf));
    assert!(!kfor_or_nrf.dominates(&kfor));
}

#[test]
fn a_community_and_its_nations_dominate_each_other() {
    let nato = nato();
    let community = label(&nato, "NATO SECRET//REL TO FVEY");
    let nations = label(&nato, "NATO SECRET//REL TO AUS, CAN, GBR, NZL, USA");
    assert!(community.dominates(&nations));
    assert!(nations.dominates(&community));
}

#[test]
fn labels_of_different_policies_never_dominate_each_other() {
    let uk = label(&gbr(), "UK TOP SECRET//REL TO GBR, USA");
    let us = label(&usa(), "UNCLASSIFIED//REL TO USA, GBR");
    assert!(!uk.dominates(&us));
    assert!(!us.dominates(&uk));
}

#[test]
fn national_label_without_rel_to_is_not_dominated_by_a_releasable_ceiling() {
    let gbr = gbr();
    let ceiling = label(&gbr, "UK SECRET//REL TO GBR, USA");
    assert!(!ceiling.dominates(&label(&gbr, "UK OFFICIAL")));
    assert!(label(&gbr, "UK SECRET").dominates(&label(&gbr, "UK OFFICIAL")));
}

#[test]
fn what_exceeds_a_ceiling_is_named_each_reason_once() {
    use crate::labels::Excess;
    let nato = nato();
    let ceiling = label(&nato, "NATO SECRET//REL TO FRA, GBR");
    // REL TO GBR in a GBR-FRA channel: FRA is left out, nothing else.
    assert_eq!(
        label(&nato, "NATO SECRET//REL TO GBR").exceeds(&ceiling),
        [Excess::LeavesOutNations {
            nations: vec!["FRA".to_owned()]
        }]
    );
    assert_eq!(
        label(&nato, "COSMIC TOP SECRET//ATOMAL//REL TO FRA, GBR").exceeds(&ceiling),
        [
            Excess::Level {
                level: "COSMIC TOP SECRET".to_owned(),
                limit: "NATO SECRET".to_owned()
            },
            Excess::Caveat {
                category: "Special Category".to_owned(),
                value: "ATOMAL".to_owned()
            }
        ]
    );
    // A mission the ceiling does not restrict to.
    let mission = label(&nato, "NATO SECRET//MISSION KFOR//REL TO FRA, GBR").exceeds(&ceiling);
    assert!(
        matches!(&mission[..], [Excess::Restricts { values, .. }] if values == &["KFOR"]),
        "{mission:?}"
    );
    // What the ceiling dominates exceeds nothing; another policy, only that.
    assert_eq!(
        label(&nato, "NATO RESTRICTED//REL TO NATO").exceeds(&ceiling),
        []
    );
    assert!(matches!(
        &label(&gbr(), "UK SECRET").exceeds(&ceiling)[..],
        [Excess::OtherPolicy { .. }]
    ));
    // The rule's refusal says it in words.
    let text = Excess::LeavesOutNations {
        nations: vec!["FRA".to_owned()],
    }
    .to_string();
    assert_eq!(
        text,
        "its REL TO leaves out FRA, which the ceiling releases to"
    );
}
