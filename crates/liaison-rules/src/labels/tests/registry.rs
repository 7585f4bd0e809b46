use std::fs;

use super::super::{LabelPolicy, PolicyError, PolicyRegistry};
use super::label_policy::TEST_POLICY;

#[test]
fn builtin_registry_has_nato_gbr_usa() {
    let registry = PolicyRegistry::builtin();
    let ids: Vec<&str> = registry.iter().map(|p| p.id()).collect();
    assert_eq!(ids, ["GBR", "NATO", "USA"]);
    assert_eq!(
        registry.by_oid("1.3.6.1.4.1.32473.4774.2").unwrap().id(),
        "GBR"
    );
    assert!(registry.get("FRA").is_none());
}

#[test]
fn empty_registry_knows_no_policy() {
    let registry = PolicyRegistry::empty();
    assert!(registry.is_empty());
    assert!(registry.get("NATO").is_none());
}

#[test]
fn insert_refuses_a_second_policy_with_the_same_identifier() {
    let mut registry = PolicyRegistry::builtin();
    let copy = LabelPolicy::clone(registry.get("NATO").unwrap());
    assert!(matches!(
        registry.insert(copy),
        Err(PolicyError::DuplicatePolicy { .. })
    ));
}

#[test]
fn insert_refuses_a_policy_reusing_an_oid() {
    let mut registry = PolicyRegistry::builtin();
    let text = TEST_POLICY.replacen(
        "oid = \"1.3.6.1.4.1.32473.9.1\"",
        "oid = \"1.3.6.1.4.1.32473.4774.1\"",
        1,
    );
    assert!(matches!(
        registry.insert(LabelPolicy::from_toml(&text).unwrap()),
        Err(PolicyError::DuplicateOid { .. })
    ));
}

#[test]
fn insert_refuses_a_level_name_of_another_policy() {
    let mut registry = PolicyRegistry::builtin();
    let text = TEST_POLICY.replacen("name = \"HIGH\"", "name = \"SECRET\"", 1);
    assert!(matches!(
        registry.insert(LabelPolicy::from_toml(&text).unwrap()),
        Err(PolicyError::AmbiguousLevelName { other, .. }) if other == "USA"
    ));
}

#[test]
fn load_dir_adds_every_toml_file_and_ignores_others() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("test.toml"), TEST_POLICY).unwrap();
    let second = TEST_POLICY
        .replacen("id = \"TEST\"", "id = \"TEST2\"", 1)
        .replacen("1.3.6.1.4.1.32473.9.1\"", "1.3.6.1.4.1.32473.9.2\"", 1)
        .replace("\"LOW\"", "\"LOW2\"")
        .replace("\"HIGH\"", "\"HIGH2\"");
    fs::write(dir.path().join("second.toml"), second).unwrap();
    fs::write(dir.path().join("notes.txt"), "not a policy").unwrap();
    let mut registry = PolicyRegistry::builtin();
    assert_eq!(registry.load_dir(dir.path()).unwrap(), 2);
    assert_eq!(registry.len(), 5);
    assert!(registry.get("TEST2").is_some());
}

#[test]
fn load_dir_adds_nothing_when_one_file_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.toml"), TEST_POLICY).unwrap();
    fs::write(dir.path().join("b.toml"), "id = 3").unwrap();
    let mut registry = PolicyRegistry::empty();
    let error = registry.load_dir(dir.path()).unwrap_err();
    assert!(
        matches!(&error, PolicyError::InFile { path, .. } if path.ends_with("b.toml")),
        "{error}"
    );
    assert!(registry.is_empty());
}

#[test]
fn load_dir_refuses_a_policy_already_registered() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.toml"), TEST_POLICY).unwrap();
    let mut registry = PolicyRegistry::empty();
    registry.load_dir(dir.path()).unwrap();
    let error = registry.load_dir(dir.path()).unwrap_err();
    assert!(matches!(
        error,
        PolicyError::InFile { source, .. } if matches!(*source, PolicyError::DuplicatePolicy { .. })
    ));
    assert_eq!(registry.len(), 1);
}

#[test]
fn load_dir_refuses_an_oversized_file() {
    let dir = tempfile::tempdir().unwrap();
    let padding = "#".repeat(1024 * 1024);
    fs::write(
        dir.path().join("big.toml"),
        format!("{TEST_POLICY}{padding}"),
    )
    .unwrap();
    let error = PolicyRegistry::empty().load_dir(dir.path()).unwrap_err();
    assert!(matches!(
        error,
        PolicyError::InFile { source, .. } if matches!(*source, PolicyError::FileTooLarge { .. })
    ));
}

#[test]
fn load_dir_of_a_missing_directory_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    assert!(matches!(
        PolicyRegistry::empty().load_dir(&missing),
        Err(PolicyError::Io { .. })
    ));
}
