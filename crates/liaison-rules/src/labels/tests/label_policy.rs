use super::super::{CategoryKind, LabelPolicy, PolicyError};
use super::{gbr, nation, nato, usa};

/// A small valid policy; tests change one line of it.
pub(super) const TEST_POLICY: &str = r##"
id = "TEST"
name = "Test policy"
oid = "1.3.6.1.4.1.32473.9.1"
default_community = ["ALPHA"]

[marking]
separator = "//"
privacy_mark_prefix = "PM "

[[level]]
name = "LOW"
portion = "L"
colour = "#00FF00"
class_bit = 1

[[level]]
name = "HIGH"
portion = "H"
colour = "#ff0000"
class_bit = 4

[[category]]
name = "Caveat"
kind = "restrictive"
oid = "1.3.6.1.4.1.32473.9.1.1"
prefix = ""
value_separator = "/"
values = ["RED", "BLUE"]

[[category]]
name = "Topic"
kind = "permissive"
oid = "1.3.6.1.4.1.32473.9.1.2"
prefix = "TOPIC "
value_separator = ", "
values = ["SEA", "AIR"]

[[category]]
name = "Releasable To"
kind = "releasability"
oid = "1.3.6.1.4.1.32473.9.1.3"
prefix = "REL TO "
value_separator = ", "

[community]
ALPHA = ["FRA", "GBR"]
"##;

/// The test policy with `from` replaced by `to` (which must occur).
fn variant(from: &str, to: &str) -> String {
    assert!(TEST_POLICY.contains(from), "{from} not in the test policy");
    TEST_POLICY.replacen(from, to, 1)
}

fn load_error(from: &str, to: &str) -> PolicyError {
    LabelPolicy::from_toml(&variant(from, to)).unwrap_err()
}

#[test]
fn test_policy_loads() {
    let policy = LabelPolicy::from_toml(TEST_POLICY).unwrap();
    assert_eq!(policy.id(), "TEST");
    assert_eq!(policy.levels().len(), 2);
    assert_eq!(policy.level("HIGH").unwrap().rank(), 1);
    assert_eq!(
        policy.level("HIGH").unwrap().colour().to_string(),
        "#FF0000"
    );
    assert_eq!(policy.releasability().name(), "Releasable To");
    assert_eq!(
        policy.default_community().iter().collect::<Vec<_>>(),
        [&nation("FRA"), &nation("GBR")]
    );
}

#[test]
fn nato_policy_orders_its_five_levels_with_rising_class_bits() {
    let nato = nato();
    let names: Vec<&str> = nato.levels().iter().map(|l| l.name()).collect();
    assert_eq!(
        names,
        [
            "NATO UNCLASSIFIED",
            "NATO RESTRICTED",
            "NATO CONFIDENTIAL",
            "NATO SECRET",
            "COSMIC TOP SECRET"
        ]
    );
    let secret = nato.level("NATO SECRET").unwrap();
    assert_eq!(
        (secret.portion(), secret.class_bit(), secret.rank()),
        ("NS", 4, 3)
    );
    assert_eq!(secret.colour().to_string(), "#C8102E");
    assert_eq!(nato.oid(), "1.3.6.1.4.1.32473.4774.1");
    assert_eq!(
        nato.category("Special Category").unwrap().kind(),
        CategoryKind::Restrictive
    );
}

#[test]
fn default_community_is_nato_nations_for_nato_and_the_nation_for_national_policies() {
    let nato = nato();
    assert_eq!(nato.default_community().len(), 32);
    assert!(nato.default_community().contains(&nation("FIN")));
    assert!(!nato.default_community().contains(&nation("AUS")));
    assert_eq!(
        gbr().default_community().iter().collect::<Vec<_>>(),
        [&nation("GBR")]
    );
    assert_eq!(
        usa().default_community().iter().collect::<Vec<_>>(),
        [&nation("USA")]
    );
}

#[test]
fn unknown_key_or_wrong_type_is_a_syntax_error() {
    assert!(matches!(
        load_error("class_bit = 1", "class_bit = 1\nshade = 3"),
        PolicyError::Syntax { .. }
    ));
    assert!(matches!(
        load_error("class_bit = 1", "class_bit = \"one\""),
        PolicyError::Syntax { .. }
    ));
    assert!(matches!(
        load_error("class_bit = 1", "class_bit = 300"),
        PolicyError::Syntax { .. }
    ));
}

#[test]
fn invalid_identifier_and_oid_are_refused() {
    assert!(matches!(
        load_error("id = \"TEST\"", "id = \"test policy\""),
        PolicyError::InvalidPolicyId { .. }
    ));
    for bad in ["1.3.6.01", "3.1", "1.40.2", "1", "1..2", "1.3.x"] {
        assert!(
            matches!(
                load_error(
                    "oid = \"1.3.6.1.4.1.32473.9.1\"",
                    &format!("oid = \"{bad}\"")
                ),
                PolicyError::InvalidOid { .. }
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        load_error("1.3.6.1.4.1.32473.9.1.2", "1.3.6.1.4.1.32473.9.1.1"),
        PolicyError::DuplicateOid { .. }
    ));
}

#[test]
fn level_errors_are_typed() {
    assert!(matches!(
        load_error("name = \"HIGH\"", "name = \"LOW\""),
        PolicyError::DuplicateLevel { .. }
    ));
    assert!(matches!(
        load_error("portion = \"H\"", "portion = \"L\""),
        PolicyError::DuplicatePortion { .. }
    ));
    for colour in ["#00FF0", "00FF00", "#00GG00", "red"] {
        assert!(matches!(
            load_error("#00FF00", colour),
            PolicyError::InvalidColour { .. }
        ));
    }
    assert!(matches!(
        load_error("class_bit = 4", "class_bit = 8"),
        PolicyError::ClassBitOutOfRange { bit: 8, .. }
    ));
    assert!(matches!(
        load_error("class_bit = 4", "class_bit = 1"),
        PolicyError::ClassBitsNotIncreasing { .. }
    ));
    assert!(matches!(
        load_error("name = \"HIGH\"", "name = \" HIGH\""),
        PolicyError::InvalidText { .. }
    ));
}

#[test]
fn category_errors_are_typed() {
    assert!(matches!(
        load_error("name = \"Topic\"", "name = \"Caveat\""),
        PolicyError::DuplicateCategory { .. }
    ));
    assert!(matches!(
        load_error("values = [\"RED\", \"BLUE\"]", "values = []"),
        PolicyError::MissingValues { .. }
    ));
    assert!(matches!(
        load_error(
            "values = [\"RED\", \"BLUE\"]",
            "values = [\"RED\", \"RED\"]"
        ),
        PolicyError::DuplicateValue { .. }
    ));
    assert!(matches!(
        load_error(
            "values = [\"RED\", \"BLUE\"]",
            "values = [\"RED\"]\nlead = [\"FRA\"]"
        ),
        PolicyError::UnexpectedKey { key: "lead", .. }
    ));
    assert!(matches!(
        load_error(
            "value_separator = \", \"\n\n[community]",
            "value_separator = \", \"\nvalues = [\"FRA\"]\n\n[community]"
        ),
        PolicyError::UnexpectedKey { key: "values", .. }
    ));
    assert!(matches!(
        load_error(
            "kind = \"releasability\"",
            "kind = \"permissive\"\nvalues = [\"X\"]"
        ),
        PolicyError::ReleasabilityCount { found: 0 }
    ));
    assert!(matches!(
        load_error(
            "kind = \"permissive\"\noid = \"1.3.6.1.4.1.32473.9.1.2\"\nprefix = \"TOPIC \"\nvalue_separator = \", \"\nvalues = [\"SEA\", \"AIR\"]",
            "kind = \"releasability\"\noid = \"1.3.6.1.4.1.32473.9.1.2\"\nprefix = \"TOPIC \"\nvalue_separator = \", \""
        ),
        PolicyError::ReleasabilityCount { found: 2 }
    ));
}

#[test]
fn bad_nation_codes_and_communities_are_refused() {
    assert!(matches!(
        load_error("ALPHA = [\"FRA\", \"GBR\"]", "ALPHA = [\"FRA\", \"gbr\"]"),
        PolicyError::InvalidNationality { .. }
    ));
    assert!(matches!(
        load_error(
            "ALPHA = [\"FRA\", \"GBR\"]",
            "ALPHA = [\"FRA\", \"GBR\"]\nABC = [\"FRA\"]"
        ),
        PolicyError::InvalidCommunityName { .. }
    ));
    assert!(matches!(
        load_error(
            "ALPHA = [\"FRA\", \"GBR\"]",
            "ALPHA = [\"FRA\", \"GBR\"]\nBETA = []"
        ),
        PolicyError::EmptyCommunity { .. }
    ));
    assert!(matches!(
        load_error("ALPHA = [\"FRA\", \"GBR\"]", "ALPHA = [\"FRA\", \"FRA\"]"),
        PolicyError::DuplicateValue { .. }
    ));
    assert!(matches!(
        load_error(
            "default_community = [\"ALPHA\"]",
            "default_community = [\"BRAVO\"]"
        ),
        PolicyError::UnknownCommunity { .. }
    ));
    assert!(matches!(
        load_error("default_community = [\"ALPHA\"]", "default_community = []"),
        PolicyError::EmptyDefaultCommunity
    ));
    assert!(matches!(
        load_error(
            "value_separator = \", \"\n\n[community]",
            "value_separator = \", \"\nlead = [\"fr\"]\n\n[community]"
        ),
        PolicyError::InvalidNationality { .. }
    ));
}

#[test]
fn a_nation_code_in_the_default_community_is_accepted() {
    let policy = LabelPolicy::from_toml(&variant(
        "default_community = [\"ALPHA\"]",
        "default_community = [\"DEU\", \"ALPHA\"]",
    ))
    .unwrap();
    assert_eq!(policy.default_community().len(), 3);
}

#[test]
fn ambiguous_marking_rules_are_refused() {
    let ambiguous = |from: &str, to: &str| {
        let error = load_error(from, to);
        assert!(
            matches!(
                error,
                PolicyError::AmbiguousMarking { .. } | PolicyError::InvalidText { .. }
            ),
            "{from} -> {to}: {error}"
        );
    };
    // Overlapping prefixes.
    ambiguous("prefix = \"TOPIC \"", "prefix = \"REL \"");
    ambiguous(
        "privacy_mark_prefix = \"PM \"",
        "privacy_mark_prefix = \"TOPIC \"",
    );
    // Separator characters inside names and values.
    ambiguous("name = \"HIGH\"", "name = \"HIGH/ER\"");
    ambiguous("values = [\"SEA\", \"AIR\"]", "values = [\"SEA, LAND\"]");
    ambiguous(
        "values = [\"RED\", \"BLUE\"]",
        "values = [\"RED\", \"BL/UE\"]",
    );
    // A prefix-less value that starts with a prefix.
    ambiguous(
        "values = [\"RED\", \"BLUE\"]",
        "values = [\"RED\", \"TOPIC X\"]",
    );
    // A releasability category without a prefix.
    ambiguous("prefix = \"REL TO \"", "prefix = \"\"");
    // Separators that are not punctuation.
    ambiguous("separator = \"//\"", "separator = \"X\"");
    ambiguous("value_separator = \"/\"", "value_separator = \" \"");
}

#[test]
fn prefix_less_value_in_two_categories_is_ambiguous() {
    let text = variant("prefix = \"TOPIC \"", "prefix = \"\"").replacen(
        "values = [\"SEA\", \"AIR\"]",
        "values = [\"SEA\", \"RED\"]",
        1,
    );
    assert!(matches!(
        LabelPolicy::from_toml(&text),
        Err(PolicyError::AmbiguousMarking { .. })
    ));
}

#[test]
fn too_many_levels_are_refused() {
    let mut text = TEST_POLICY.to_owned();
    for i in 0..8 {
        text.push_str(&format!(
            "\n[[level]]\nname = \"X{i}\"\nportion = \"X{i}\"\ncolour = \"#000000\"\nclass_bit = 7\n"
        ));
    }
    assert!(matches!(
        LabelPolicy::from_toml(&text),
        Err(PolicyError::TooMany { what: "levels", .. })
    ));
}

#[test]
fn error_messages_escape_and_shorten_untrusted_text() {
    let long = format!("\n{}", "A".repeat(200));
    let message = load_error("id = \"TEST\"", &format!("id = {long:?}")).to_string();
    assert!(!message.contains('\n'), "{message}");
    assert!(message.len() < 120, "{message}");
}
