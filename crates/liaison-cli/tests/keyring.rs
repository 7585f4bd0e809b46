//! `liaison` with its default key protection, the OS keyring (on Linux:
//! gnome-keyring's Secret Service). Like the store's own keyring tests this
//! fails, never skips, when no keyring is reachable: `cargo xtask test` runs
//! it inside `dbus-run-session` with an unlocked gnome-keyring. By hand:
//!
//! ```sh
//! dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; cargo test -p liaison-cli --test keyring'
//! ```

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn liaison(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .arg("--json")
        .env("LIAISON_HOME", home)
        .env_remove("LIAISON_PASSPHRASE")
        .env_remove("LIAISON_PROFILE")
        .env_remove("LIAISON_RELAY")
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_keyring_profile_opens_without_a_passphrase_and_is_deleted_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let authority = dir.path().join("deu.pem");
    let init = liaison(
        dir.path(),
        &[
            "authority",
            "init",
            "--out",
            authority.to_str().unwrap(),
            "--name",
            "DEU Liaison Authority",
            "--org",
            "Bundeswehr",
            "--nationality",
            "DEU",
        ],
    );
    assert!(init.status.success());

    let create = liaison(
        dir.path(),
        &[
            "profile",
            "create",
            "deu",
            "--authority",
            authority.to_str().unwrap(),
            "--officer-id",
            "deu.weber",
            "--name",
            "Maj. A. Weber",
            "--org",
            "Bundeswehr",
            "--nationality",
            "DEU",
            "--clearance",
            "NATO SECRET",
        ],
    );
    assert!(
        create.status.success(),
        "{}",
        String::from_utf8_lossy(&create.stdout)
    );
    assert_eq!(json(&create)["protection"], "keyring");

    let unlock = liaison(dir.path(), &["profile", "unlock"]);
    assert!(
        unlock.status.success(),
        "{}",
        String::from_utf8_lossy(&unlock.stdout)
    );
    assert_eq!(json(&unlock)["officer_id"], "deu.weber");

    let delete = liaison(dir.path(), &["profile", "delete", "deu", "--yes"]);
    assert!(
        delete.status.success(),
        "{}",
        String::from_utf8_lossy(&delete.stdout)
    );
    assert_eq!(json(&delete)["keyring_entry_deleted"], true);
    let gone = liaison(dir.path(), &["profile", "unlock"]);
    assert_eq!(gone.status.code(), Some(1));
}
