//! Profiles, locking and settings, with no relay at all.

use std::fs;

use super::harness::{exercise_request, grant, nation, test_desk};
use crate::views::{AppPhase, ConnectionState, ProtectionKind};
use crate::{
    DeskError, ErrorKind, FilePurpose, FileToken, ImportProfileRequest, Language, Settings,
};

#[tokio::test]
async fn a_new_home_has_no_profile_and_commands_say_so() {
    let t = test_desk(None, None);
    let status = t.desk.status().await.unwrap();
    assert_eq!(status.phase, AppPhase::NoProfile);
    assert_eq!(status.language, "en");
    assert!(!status.demo);
    assert_eq!(
        t.desk.list_channels().await.unwrap_err().kind(),
        ErrorKind::NoProfile
    );
    assert_eq!(t.desk.unlock(None).await.unwrap_err(), DeskError::NoProfile);
}

#[tokio::test]
async fn exercise_profile_unlocks_only_with_its_passphrase() {
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    let profile = t
        .desk
        .create_exercise_profile(exercise_request("gbr.desk", "correct horse"))
        .await
        .unwrap();
    assert_eq!(profile.officer_id, "gbr.desk");
    assert_eq!(profile.nationality, "GBR");
    assert_eq!(profile.clearance, "NATO SECRET");
    assert_eq!(profile.protection, ProtectionKind::Passphrase);
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::Unlocked);
    // No relay configured: reads work, the connection is offline.
    assert!(t.desk.list_channels().await.unwrap().is_empty());
    assert_eq!(t.desk.connection_state().await, ConnectionState::Offline);

    t.desk.lock().await.unwrap();
    assert!(t.events.names().contains(&"locked"));
    let status = t.desk.status().await.unwrap();
    assert_eq!(status.phase, AppPhase::Locked);
    assert_eq!(status.protection, Some(ProtectionKind::Passphrase));
    assert_eq!(
        t.desk.list_channels().await.unwrap_err().kind(),
        ErrorKind::Locked
    );
    let wrong = t.desk.unlock(Some("wrong horse".into())).await.unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::WrongPassphrase);
    assert_eq!(wrong.to_app_error().kind, ErrorKind::WrongPassphrase);
    let missing = t.desk.unlock(None).await.unwrap_err();
    assert_eq!(missing.to_app_error().field.as_deref(), Some("passphrase"));
    let again = t.desk.unlock(Some("correct horse".into())).await.unwrap();
    assert_eq!(again, profile);
}

#[tokio::test]
async fn a_second_profile_is_refused() {
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    t.desk
        .create_exercise_profile(exercise_request("gbr.one", "pw"))
        .await
        .unwrap();
    let refused = t
        .desk
        .create_exercise_profile(exercise_request("gbr.two", "pw"))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden);
}

#[tokio::test]
async fn exercise_profiles_need_an_exercise_authority() {
    let t = test_desk(None, None);
    let refused = t
        .desk
        .create_exercise_profile(exercise_request("gbr.desk", "pw"))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden);
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::NoProfile);
}

#[tokio::test]
async fn bad_exercise_fields_name_the_field() {
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    let mut request = exercise_request("gbr.desk", "pw");
    request.nationality = "XX".into();
    let error = t.desk.create_exercise_profile(request).await.unwrap_err();
    assert_eq!(error.to_app_error().field.as_deref(), Some("nationality"));
    let mut request = exercise_request("gbr.desk", "pw");
    request.clearance = "GALACTIC SECRET".into();
    let error = t.desk.create_exercise_profile(request).await.unwrap_err();
    assert_eq!(error.to_app_error().field.as_deref(), Some("clearance"));
    let error = t
        .desk
        .create_exercise_profile(exercise_request("gbr.desk", ""))
        .await
        .unwrap_err();
    assert_eq!(error.to_app_error().field.as_deref(), Some("passphrase"));
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::NoProfile);
}

/// Writes an officer's chain and PKCS #8 key as PEM files.
fn officer_files(
    dir: &std::path::Path,
    authority: &liaison_core::Authority,
) -> (
    std::path::PathBuf,
    std::path::PathBuf,
    liaison_core::DeviceKey,
) {
    use std::time::{Duration, SystemTime};
    let key = liaison_core::DeviceKey::generate().unwrap();
    let attributes = liaison_core::OfficerAttributes::new(
        "gbr.imported",
        "Imported Officer",
        "GBR Liaison Staff",
        "GBR".parse().unwrap(),
        super::harness::clearance("NATO CONFIDENTIAL"),
    )
    .unwrap();
    let now = SystemTime::now();
    let der = authority
        .issue(
            &attributes,
            &key.public_key(),
            now - Duration::from_secs(60),
            now + Duration::from_secs(86_400),
        )
        .unwrap();
    let chain = authority.chain_for(der).unwrap();
    let certificate = dir.join("officer.pem");
    // The chain up to the root, as a national PKI hands it out.
    let root = pem_block("CERTIFICATE", authority.certificate_der());
    fs::write(&certificate, chain.to_pem() + &root).unwrap();
    let pem = pem_block("PRIVATE KEY", &key.to_pkcs8_der());
    let key_path = dir.join("officer.key");
    fs::write(&key_path, pem).unwrap();
    (certificate, key_path, key)
}

fn pem_block(tag: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    format!("-----BEGIN {tag}-----\n{body}\n-----END {tag}-----\n")
}

#[tokio::test]
async fn imported_certificate_and_key_make_a_profile() {
    let gbr = nation("GBR");
    let t = test_desk(None, None);
    let files = tempfile::tempdir().unwrap();
    let (certificate, key, _) = officer_files(files.path(), &gbr);
    let request = ImportProfileRequest {
        certificate_file: grant(&t.desk, FilePurpose::OpenCertificate, &certificate),
        key_file: grant(&t.desk, FilePurpose::OpenKey, &key),
        protection: ProtectionKind::Passphrase,
        passphrase: Some("pw".into()),
        pin: None,
    };
    let profile = t.desk.import_profile(request.clone()).await.unwrap();
    assert_eq!(profile.officer_id, "gbr.imported");
    assert_eq!(profile.display_name, "Imported Officer");
    assert_eq!(profile.clearance, "NATO CONFIDENTIAL");
    // The tokens were used up by the import.
    let error = t.desk.import_profile(request).await.unwrap_err();
    assert_eq!(
        error.to_app_error().field.as_deref(),
        Some("certificateFile")
    );
}

#[tokio::test]
async fn an_imported_key_of_another_certificate_is_refused() {
    let gbr = nation("GBR");
    let t = test_desk(None, None);
    let files = tempfile::tempdir().unwrap();
    let (certificate, _, _) = officer_files(files.path(), &gbr);
    let other = tempfile::tempdir().unwrap();
    let (_, other_key, _) = officer_files(other.path(), &gbr);
    let chosen = grant(&t.desk, FilePurpose::OpenCertificate, &certificate);
    let error = t
        .desk
        .import_profile(ImportProfileRequest {
            certificate_file: chosen.clone(),
            key_file: grant(&t.desk, FilePurpose::OpenKey, &other_key),
            protection: ProtectionKind::Passphrase,
            passphrase: Some("pw".into()),
            pin: None,
        })
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Certificate);
    // A failed import gives the certificate's token back.
    let error = t
        .desk
        .import_profile(ImportProfileRequest {
            certificate_file: chosen,
            key_file: grant(&t.desk, FilePurpose::OpenKey, &certificate),
            protection: ProtectionKind::Passphrase,
            passphrase: Some("pw".into()),
            pin: None,
        })
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Certificate);
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::NoProfile);
}

#[tokio::test]
async fn import_takes_only_tokens_granted_for_each_file() {
    let gbr = nation("GBR");
    let t = test_desk(None, None);
    let files = tempfile::tempdir().unwrap();
    let (certificate, key, _) = officer_files(files.path(), &gbr);
    let certificate = grant(&t.desk, FilePurpose::OpenCertificate, &certificate);
    let key = grant(&t.desk, FilePurpose::OpenKey, &key);
    let import = |certificate_file: &FileToken, key_file: &FileToken| ImportProfileRequest {
        certificate_file: certificate_file.clone(),
        key_file: key_file.clone(),
        protection: ProtectionKind::Passphrase,
        passphrase: Some("pw".into()),
        pin: None,
    };
    let field = |error: DeskError| {
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        error.to_app_error().field.unwrap_or_default()
    };
    // Swapped, the same token twice, or one the window made up.
    let swapped = t.desk.import_profile(import(&key, &certificate)).await;
    assert_eq!(field(swapped.unwrap_err()), "certificateFile");
    let twice = t
        .desk
        .import_profile(import(&certificate, &certificate))
        .await;
    assert_eq!(field(twice.unwrap_err()), "keyFile");
    let made_up = FileToken::from("/home/officer/.ssh/id_ed25519");
    let unknown = t.desk.import_profile(import(&certificate, &made_up)).await;
    assert_eq!(field(unknown.unwrap_err()), "keyFile");
    // None of that used the real tokens up.
    let profile = t
        .desk
        .import_profile(import(&certificate, &key))
        .await
        .unwrap();
    assert_eq!(profile.officer_id, "gbr.imported");
}

#[tokio::test]
async fn locking_revokes_the_chosen_files() {
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    t.desk
        .create_exercise_profile(exercise_request("gbr.lock", "pw"))
        .await
        .unwrap();
    let files = tempfile::tempdir().unwrap();
    let (certificate, _, _) = officer_files(files.path(), &gbr);
    let token = grant(&t.desk, FilePurpose::OpenCertificate, &certificate);
    t.desk.lock().await.unwrap();
    t.desk.unlock(Some("pw".into())).await.unwrap();
    let error = t
        .desk
        .candidate_from_certificate("ab01", &token)
        .await
        .unwrap_err();
    assert_eq!(error.to_app_error().field.as_deref(), Some("file"));
    assert!(error.to_string().contains("choose it again"), "{error}");
}

#[tokio::test]
async fn keyring_mode_without_a_keyring_is_reported_not_replaced() {
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    let mut request = exercise_request("gbr.keyring", "unused");
    request.protection = ProtectionKind::Keyring;
    request.passphrase = None;
    request.pin = Some("482913".into());
    let result = t.desk.create_exercise_profile(request).await;
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        // No session bus: no Secret Service can answer.
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::KeyringUnavailable);
        assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::NoProfile);
        assert!(!t.home.path().join("store.db").exists());
    } else {
        // A keyring may exist here; whatever happens is never a silent
        // fallback to another protection.
        match result {
            Ok(profile) => assert_eq!(profile.protection, ProtectionKind::Keyring),
            Err(error) => assert_eq!(error.kind(), ErrorKind::KeyringUnavailable),
        }
    }
}

#[tokio::test]
async fn settings_are_checked_and_kept() {
    let t = test_desk(None, None);
    assert_eq!(t.desk.settings().unwrap(), Settings::default());
    assert!(!Settings::default().notifications_show_content);
    let bad = Settings {
        relay_url: "https://relay.example/v1/ws".into(),
        ..Settings::default()
    };
    let error = t.desk.save_settings(bad).await.unwrap_err();
    assert_eq!(error.to_app_error().field.as_deref(), Some("relayUrl"));
    let bad = Settings {
        idle_lock_minutes: 10_000,
        ..Settings::default()
    };
    let error = t.desk.save_settings(bad).await.unwrap_err();
    assert_eq!(
        error.to_app_error().field.as_deref(),
        Some("idleLockMinutes")
    );
    let good = Settings {
        relay_url: "wss://relay.example:8443/v1/ws".into(),
        notifications_show_content: true,
        idle_lock_minutes: 5,
        language: Language::Fr,
    };
    assert_eq!(t.desk.save_settings(good.clone()).await.unwrap(), good);
    assert_eq!(t.desk.settings().unwrap(), good);
    assert_eq!(t.desk.status().await.unwrap().language, "fr");
}

#[test]
fn app_errors_serialise_as_the_ui_expects() {
    let json = serde_json::to_value(DeskError::invalid("relayUrl", "bad").to_app_error()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"kind": "invalidInput", "message": "bad", "field": "relayUrl"})
    );
    let json = serde_json::to_value(DeskError::WrongPassphrase.to_app_error()).unwrap();
    assert_eq!(json["kind"], "wrongPassphrase");
    assert!(json.get("field").is_none());
    let json =
        serde_json::to_value(DeskError::KeyringUnavailable("x".into()).to_app_error()).unwrap();
    assert_eq!(json["kind"], "keyringUnavailable");
}
