//! Exercise authorities: saved, loaded, and issuing chains that verify.

use std::time::{Duration, SystemTime};

use liaison_core::{DeviceKey, PolicyRegistry, verify_credential};

use crate::{DemoError, ExerciseAuthority, ExerciseOfficer, trust_anchors};

const YEAR: Duration = Duration::from_secs(365 * 86_400);

#[test]
fn an_authority_with_accented_names_is_reloaded_and_still_issues_verifiable_chains() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("FRA.pem");
    let created = ExerciseAuthority::load_or_create(
        &path,
        "FRA",
        "Autorité de liaison d'exercice",
        "Ministère des Armées",
    )
    .unwrap();
    let loaded =
        ExerciseAuthority::load_or_create(&path, "FRA", "ignored", "Ministère des Armées").unwrap();
    assert_eq!(loaded.certificate_der(), created.certificate_der());

    let registry = PolicyRegistry::builtin();
    let officer = ExerciseOfficer::new("fra.moreau", "Cdt Claire Moreau", "FRA", "NATO SECRET");
    let key = DeviceKey::generate().unwrap();
    let chain = loaded.issue(&officer, &key, YEAR, &registry).unwrap();
    let anchors = trust_anchors([&created]).unwrap();
    let verified =
        verify_credential(&chain, &anchors, SystemTime::now(), &key.public_key()).unwrap();
    let attributes = verified.attributes();
    assert_eq!(attributes.officer_id(), "fra.moreau");
    assert_eq!(attributes.nationality().as_str(), "FRA");
    assert_eq!(attributes.organisation(), "Ministère des Armées");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the CA key is readable by others");
    }
}

#[test]
fn an_authority_certifies_only_its_own_nationals_at_a_known_clearance() {
    let gbr = ExerciseAuthority::for_nation("GBR").unwrap();
    let registry = PolicyRegistry::builtin();
    let key = DeviceKey::generate().unwrap();
    let french = ExerciseOfficer::new("fra.martin", "Cdt C. Martin", "FRA", "NATO SECRET");
    assert!(matches!(
        gbr.issue(&french, &key, YEAR, &registry),
        Err(DemoError::UnknownNation(n)) if n == "FRA"
    ));
    let unknown = ExerciseOfficer::new("gbr.x", "Lt X", "GBR", "VERY SECRET");
    assert!(gbr.issue(&unknown, &key, YEAR, &registry).is_err());
    // A national policy's levels are clearances too.
    let national = ExerciseOfficer::new("gbr.y", "Lt Y", "GBR", "UK SECRET");
    assert_eq!(
        national.parsed_clearance(&registry).unwrap().level().name(),
        "UK SECRET"
    );
    assert!(ExerciseAuthority::for_nation("G8R").is_err());
}
