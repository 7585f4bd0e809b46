//! Changing the PIN or the passphrase of an unlocked profile.

use super::harness::{exercise_request, nation, test_desk};
use super::locking::{cleanup, keyring_desk, secret_service};
use crate::{AuditRequest, DeskError};

fn field(error: &DeskError) -> Option<String> {
    error.to_app_error().field
}

#[tokio::test]
async fn a_passphrase_changes_only_with_the_one_in_use_and_then_unlocks_alone() {
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    t.desk
        .create_exercise_profile(exercise_request("gbr.change", "pw"))
        .await
        .unwrap();

    let wrong = t
        .desk
        .change_secret("guess".into(), "a new passphrase".into())
        .await
        .unwrap_err();
    assert_eq!(wrong, DeskError::WrongPassphrase);
    let empty = t
        .desk
        .change_secret("pw".into(), String::new())
        .await
        .unwrap_err();
    assert_eq!(field(&empty).as_deref(), Some("passphrase"));
    let no_current = t
        .desk
        .change_secret(String::new(), "a new passphrase".into())
        .await
        .unwrap_err();
    assert_eq!(field(&no_current).as_deref(), Some("current"));

    t.desk
        .change_secret("pw".into(), "a new passphrase".into())
        .await
        .unwrap();
    let log = t
        .desk
        .audit_log(&AuditRequest {
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    let changed = log
        .iter()
        .find(|e| e.kind == "profile.secret_changed")
        .expect("the change is audited");
    assert_eq!(changed.facts.as_ref().unwrap()["secret"], "passphrase");

    t.desk.lock().await.unwrap();
    assert_eq!(
        t.desk.unlock(Some("pw".into())).await.unwrap_err(),
        DeskError::WrongPassphrase
    );
    t.desk
        .unlock(Some("a new passphrase".into()))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_locked_profile_changes_nothing() {
    let gbr = nation("GBR");
    let t = test_desk(Some(&gbr), None);
    t.desk
        .create_exercise_profile(exercise_request("gbr.locked", "pw"))
        .await
        .unwrap();
    t.desk.lock().await.unwrap();

    let error = t
        .desk
        .change_secret("pw".into(), "a new passphrase".into())
        .await
        .unwrap_err();

    assert_eq!(error, DeskError::Locked);
    t.desk.unlock(Some("pw".into())).await.unwrap();
}

#[tokio::test]
async fn a_pin_changes_under_the_rules_of_a_new_pin() {
    if !secret_service() {
        return;
    }
    let (t, mut request) = keyring_desk("change-pin", "gbr.newpin");
    request.pin = Some("482913".into());
    t.desk.create_exercise_profile(request).await.unwrap();

    let trivial = t
        .desk
        .change_secret("482913".into(), "123456".into())
        .await
        .unwrap_err();
    assert_eq!(field(&trivial).as_deref(), Some("pin"));
    assert_eq!(
        t.desk
            .change_secret("000111".into(), "905731".into())
            .await
            .unwrap_err(),
        DeskError::WrongPin
    );
    t.desk
        .change_secret("482913".into(), "905731".into())
        .await
        .unwrap();

    t.desk.lock().await.unwrap();
    assert_eq!(
        t.desk.unlock(Some("482913".into())).await.unwrap_err(),
        DeskError::WrongPin
    );
    t.desk.unlock(Some("905731".into())).await.unwrap();
    cleanup(&t.desk).await;
}
