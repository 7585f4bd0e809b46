//! Locking: the idle lock the desk enforces by itself, the PIN of keyring
//! profiles (set at onboarding, or at the first unlock of an older
//! profile) and the throttling of wrong secrets.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::harness::{
    Events, TestDesk, clearance, desk_config, exercise_request, issuer, nation, test_desk,
};
use crate::views::{AppPhase, AuditCategoryView, ProtectionKind};
use crate::{CertificateSubject, Desk, DeskError, ErrorKind, FIRST_DELAY, FREE_ATTEMPTS, Issuer};
use liaison_core::{Engine, InitialTrust, KeyProtection, Nationality, PolicyRegistry, Store};

/// The settings with the idle lock after `minutes`.
async fn idle_after(desk: &Desk, minutes: u32) {
    let mut settings = desk.settings().unwrap();
    settings.idle_lock_minutes = minutes;
    desk.save_settings(settings).await.unwrap();
}

/// An unlocked passphrase profile ("pw") whose idle lock is set to `minutes`.
async fn idle_desk(officer: &str, minutes: u32) -> TestDesk {
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    idle_after(&t.desk, minutes).await;
    t.desk
        .create_exercise_profile(exercise_request(officer, "pw"))
        .await
        .unwrap();
    t
}

#[tokio::test(start_paused = true)]
async fn an_idle_profile_locks_itself_and_its_store_is_closed() {
    let t = idle_desk("gbr.idle", 1).await;

    // Input and commands keep it open past the delay.
    tokio::time::sleep(Duration::from_secs(40)).await;
    t.desk.still_here().await;
    tokio::time::sleep(Duration::from_secs(40)).await;
    t.desk.list_channels().await.unwrap();
    tokio::time::sleep(Duration::from_secs(40)).await;
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::Unlocked);
    assert!(!t.events.names().contains(&"locked"));

    // A minute without any: locked by the desk itself.
    tokio::time::sleep(Duration::from_secs(21)).await;
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::Locked);
    assert_eq!(
        t.events.names().iter().filter(|n| **n == "locked").count(),
        1
    );
    assert_eq!(t.desk.list_channels().await.unwrap_err(), DeskError::Locked);
    // Input on the lock screen opens nothing.
    t.desk.still_here().await;
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::Locked);

    // Unlocking starts the clock again; the idle lock is in the log.
    t.desk.unlock(Some("pw".into())).await.unwrap();
    let log = t
        .desk
        .audit_log(&crate::AuditRequest {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    let locked = log.iter().find(|e| e.kind == "session.locked").unwrap();
    assert_eq!(locked.facts.as_ref().unwrap()["reason"], "idle");
    assert_eq!(log[0].kind, "session.unlocked");
    tokio::time::sleep(Duration::from_secs(59)).await;
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::Unlocked);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::Locked);
}

#[tokio::test(start_paused = true)]
async fn an_idle_lock_of_zero_minutes_never_locks() {
    let t = idle_desk("gbr.awake", 0).await;
    tokio::time::sleep(Duration::from_secs(3 * 3600)).await;
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::Unlocked);
    // Turned on while unlocked: the watcher reads the new delay.
    idle_after(&t.desk, 1).await;
    tokio::time::sleep(Duration::from_secs(121)).await;
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::Locked);
}

#[tokio::test]
async fn wrong_passphrases_are_throttled_across_restarts() {
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    t.desk
        .create_exercise_profile(exercise_request("gbr.throttle", "correct horse"))
        .await
        .unwrap();
    t.desk.lock().await.unwrap();
    for _ in 0..=FREE_ATTEMPTS {
        assert_eq!(
            t.desk.unlock(Some("wrong".into())).await.unwrap_err(),
            DeskError::WrongPassphrase
        );
    }
    let throttled = t
        .desk
        .unlock(Some("correct horse".into()))
        .await
        .unwrap_err();
    assert_eq!(throttled.kind(), ErrorKind::TooManyAttempts);
    let wait = throttled.to_app_error().retry_after_seconds.unwrap();
    assert!((1..=30).contains(&wait), "{wait}");

    // A new desk on the same home (the app restarted) still waits.
    let events = Events::default();
    let again = Desk::new(desk_config(t.home.path(), Some(&gbr), None, &events));
    assert_eq!(
        again
            .unlock(Some("correct horse".into()))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::TooManyAttempts
    );

    // Once the wait is over (the last failure moved back in time), the
    // right passphrase opens it and clears the count.
    let past = SystemTime::now() - FIRST_DELAY - Duration::from_secs(1);
    let record = serde_json::json!({
        "failures": FREE_ATTEMPTS + 1,
        "lastFailureMs": past.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_millis() as u64,
    });
    let attempts = t.home.path().join("unlock-attempts.json");
    std::fs::write(&attempts, record.to_string()).unwrap();
    again.unlock(Some("correct horse".into())).await.unwrap();
    assert!(!attempts.exists());

    // The log tells the lock and the wrong attempts before the unlock.
    let security = again
        .audit_log(&crate::AuditRequest {
            limit: 10,
            categories: Some(vec![AuditCategoryView::Security]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        security
            .iter()
            .all(|e| e.category == AuditCategoryView::Security)
    );
    let unlocked = security
        .iter()
        .find(|e| e.kind == "session.unlocked")
        .unwrap();
    let facts = unlocked.facts.as_ref().unwrap();
    assert_eq!(facts["failedAttempts"], FREE_ATTEMPTS + 1);
    let locked = security
        .iter()
        .find(|e| e.kind == "session.locked")
        .unwrap();
    assert_eq!(locked.facts.as_ref().unwrap()["reason"], "officer");
}

/// Skips (with a note) unless a Secret Service was arranged for the tests.
pub(super) fn secret_service() -> bool {
    let available = std::env::var_os("LIAISON_SECRET_SERVICE").is_some();
    if !available {
        eprintln!(
            "skipped: set LIAISON_SECRET_SERVICE=1 inside a D-Bus session with gnome-keyring"
        );
    }
    available
}

/// A keyring service name no other run and no real profile uses.
fn unique_service(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("liaison-desk-test-{test}-{}-{nanos}", std::process::id())
}

#[tokio::test]
async fn a_keyring_profile_needs_its_pin_and_refuses_trivial_ones() {
    if !secret_service() {
        return;
    }
    let (t, mut request) = keyring_desk("pin", "gbr.pin");
    for trivial in [None, Some("12345"), Some("111111"), Some("234567")] {
        request.pin = trivial.map(str::to_owned);
        let error = t
            .desk
            .create_exercise_profile(request.clone())
            .await
            .unwrap_err();
        assert_eq!(
            error.to_app_error().field.as_deref(),
            Some("pin"),
            "{trivial:?}"
        );
    }
    assert_eq!(t.desk.status().await.unwrap().phase, AppPhase::NoProfile);
    request.pin = Some("482913".into());
    let profile = t.desk.create_exercise_profile(request).await.unwrap();
    assert_eq!(profile.protection, ProtectionKind::Keyring);
    let record = std::fs::read_to_string(t.home.path().join("profile.json")).unwrap();
    assert!(record.contains("keyring_pin"), "{record}");
    assert!(!record.contains("482913"));

    t.desk.lock().await.unwrap();
    let status = t.desk.status().await.unwrap();
    assert_eq!(status.protection, Some(ProtectionKind::Keyring));
    assert!(!status.new_pin);
    let missing = t.desk.unlock(None).await.unwrap_err();
    assert_eq!(missing.to_app_error().field.as_deref(), Some("pin"));
    assert_eq!(
        t.desk.unlock(Some("482914".into())).await.unwrap_err(),
        DeskError::WrongPin
    );
    t.desk.unlock(Some("482913".into())).await.unwrap();
    cleanup(&t.desk).await;
}

/// A desk whose keyring service no other test uses, and the request of a
/// keyring-protected exercise profile for `officer` (its PIN still to set).
pub(super) fn keyring_desk(test: &str, officer: &str) -> (TestDesk, crate::ExerciseProfileRequest) {
    let gbr = nation("GBR");
    let mut t = test_desk(Some(&gbr), None);
    let events = Events::default();
    let mut config = desk_config(t.home.path(), Some(&gbr), None, &events);
    config.keyring_service = unique_service(test);
    t.desk = Desk::new(config);
    let mut request = exercise_request(officer, "unused");
    request.protection = ProtectionKind::Keyring;
    request.passphrase = None;
    (t, request)
}

/// Locks and removes the profile's keyring entry.
pub(super) async fn cleanup(desk: &Desk) {
    desk.lock().await.unwrap();
    let record = std::fs::read_to_string(desk.home().dir().join("profile.json")).unwrap();
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    let service = record["protection"]["service"].as_str().unwrap();
    let account = record["protection"]["account"].as_str().unwrap();
    liaison_core::delete_keyring_key(service, account).unwrap();
}

#[tokio::test]
async fn a_keyring_profile_made_before_pins_gets_one_at_the_next_unlock() {
    if !secret_service() {
        return;
    }
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    let service = unique_service("upgrade");
    let account = "desktop-0123456789abcdef";

    // A profile as the desk made them before PINs: keyring only.
    let subject = CertificateSubject {
        officer_id: "gbr.old".into(),
        display_name: "Officer Old".into(),
        nationality: Nationality::new("GBR").unwrap(),
        clearance: clearance("NATO SECRET"),
        clearance_name: "NATO SECRET".into(),
    };
    let issuer = issuer(&gbr, &[]);
    let (chain, key) = issuer.issue(&subject).unwrap();
    let store_path = t.home.path().join("store.db");
    let store = Store::create(&store_path, &KeyProtection::keyring(&service, account)).unwrap();
    let trust = InitialTrust::onboarding(issuer.authorities());
    let engine = Engine::create_profile(
        store,
        Arc::new(PolicyRegistry::builtin()),
        "gbr.old",
        chain,
        key,
        &trust,
    )
    .unwrap();
    drop(engine);
    let record = serde_json::json!({
        "format": "liaison-desktop-profile",
        "version": 1,
        "protection": {"kind": "keyring", "service": service, "account": account},
    });
    std::fs::write(t.home.path().join("profile.json"), record.to_string()).unwrap();

    let status = t.desk.status().await.unwrap();
    assert_eq!(status.phase, AppPhase::Locked);
    assert!(status.new_pin);
    // The new PIN is checked like one chosen at onboarding.
    let trivial = t.desk.unlock(Some("000000".into())).await.unwrap_err();
    assert_eq!(trivial.to_app_error().field.as_deref(), Some("pin"));
    let profile = t.desk.unlock(Some("739150".into())).await.unwrap();
    assert_eq!(profile.officer_id, "gbr.old");
    t.desk.lock().await.unwrap();

    // From now on the PIN is needed, and the keyring alone opens nothing.
    assert!(!t.desk.status().await.unwrap().new_pin);
    assert!(matches!(
        Store::open(&store_path, &KeyProtection::keyring(&service, account)),
        Err(liaison_core::StoreError::WrongKey)
    ));
    assert_eq!(
        t.desk.unlock(Some("739151".into())).await.unwrap_err(),
        DeskError::WrongPin
    );
    t.desk.unlock(Some("739150".into())).await.unwrap();
    let audit = t
        .desk
        .audit_log(&crate::AuditRequest {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.iter().any(|entry| entry.kind == "profile.pin_set"));
    cleanup(&t.desk).await;
}
