//! The built `liaison` binary, for purely local commands, in a temporary
//! LIAISON_HOME (no keyring, no relay).

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn liaison(home: &Path, passphrase: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_liaison"));
    command
        .args(args)
        .env("LIAISON_HOME", home.join("home"))
        // Nothing may fall back to the real home directory.
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("xdg"))
        .env_remove("LIAISON_PROFILE")
        .env_remove("LIAISON_RELAY")
        .env_remove("LIAISON_PASSPHRASE");
    if let Some(passphrase) = passphrase {
        command.env("LIAISON_PASSPHRASE", passphrase);
    }
    command.output().unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn local_commands_work_from_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let authority = home.join("gbr.pem");
    let init = liaison(
        home,
        None,
        &[
            "authority",
            "init",
            "--json",
            "--out",
            authority.to_str().unwrap(),
            "--name",
            "GBR Liaison Authority",
            "--org",
            "GBR Ministry of Defence",
            "--nationality",
            "GBR",
        ],
    );
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    assert!(json(&init)["fingerprint"].as_str().unwrap().contains(':'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&authority).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the authority file must be owner-only");
    }

    let create = liaison(
        home,
        Some("correct horse battery"),
        &[
            "profile",
            "create",
            "gbr",
            "--authority",
            authority.to_str().unwrap(),
            "--officer-id",
            "gbr.smith",
            "--name",
            "Maj. J. Smith",
            "--org",
            "GBR Ministry of Defence",
            "--nationality",
            "GBR",
            "--clearance",
            "NATO SECRET",
        ],
    );
    assert!(
        create.status.success(),
        "{}",
        String::from_utf8_lossy(&create.stderr)
    );
    assert!(String::from_utf8_lossy(&create.stdout).contains("gbr.smith"));

    let show = liaison(
        home,
        Some("correct horse battery"),
        &["profile", "show", "--json"],
    );
    assert!(
        show.status.success(),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    let profile = json(&show);
    assert_eq!(profile["name"], "gbr");
    assert_eq!(profile["officer_id"], "gbr.smith");
    assert_eq!(profile["nationality"], "GBR");
    assert_eq!(profile["clearance"], "NATO SECRET");
    assert_eq!(profile["protection"], "passphrase");
    assert_eq!(profile["certificate"]["verified"], true);

    let list = liaison(home, None, &["profile", "list", "--json"]);
    assert_eq!(json(&list)["profiles"][0]["name"], "gbr");
}

#[test]
fn exit_codes_reach_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();

    let help = liaison(home, None, &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    let usage = liaison(home, None, &["send"]);
    assert_eq!(usage.status.code(), Some(1));
    let usage = liaison(home, None, &["send", "--json"]);
    assert_eq!(usage.status.code(), Some(1));
    assert_eq!(json(&usage)["error"]["kind"], "usage");
    let no_profile = liaison(home, None, &["profile", "show", "--json"]);
    assert_eq!(no_profile.status.code(), Some(1));
    assert_eq!(json(&no_profile)["error"]["kind"], "usage");

    let authority = home.join("fra.pem");
    let init = liaison(
        home,
        None,
        &[
            "authority",
            "init",
            "--out",
            authority.to_str().unwrap(),
            "--name",
            "FRA Liaison Authority",
            "--org",
            "FRA MoD",
            "--nationality",
            "FRA",
        ],
    );
    assert!(init.status.success());
    let pass_file = home.join("pass");
    std::fs::write(&pass_file, "s3cret\n").unwrap();
    let create = liaison(
        home,
        None,
        &[
            "profile",
            "create",
            "fra",
            "--passphrase-file",
            pass_file.to_str().unwrap(),
            "--authority",
            authority.to_str().unwrap(),
            "--officer-id",
            "fra.martin",
            "--name",
            "Cdt C. Martin",
            "--org",
            "FRA MoD",
            "--nationality",
            "FRA",
            "--clearance",
            "NATO SECRET",
        ],
    );
    assert!(
        create.status.success(),
        "{}",
        String::from_utf8_lossy(&create.stderr)
    );

    let unlocked = liaison(home, Some("s3cret"), &["profile", "unlock"]);
    assert_eq!(unlocked.status.code(), Some(0));
    let locked = liaison(home, None, &["profile", "unlock", "--json"]);
    assert_eq!(locked.status.code(), Some(3));
    assert_eq!(json(&locked)["error"]["kind"], "locked");
    let wrong = liaison(home, Some("wrong"), &["profile", "unlock"]);
    assert_eq!(wrong.status.code(), Some(3));

    // No relay client in this build: a networked command reports exit 4,
    // or 1 when no relay is configured at all.
    let no_relay = liaison(home, Some("s3cret"), &["sync"]);
    assert_eq!(no_relay.status.code(), Some(1));
    let unreachable = liaison(
        home,
        Some("s3cret"),
        &["--relay", "wss://relay.invalid", "sync"],
    );
    assert_eq!(unreachable.status.code(), Some(4));
}

#[test]
fn demo_plays_the_partnership_over_a_real_relay() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("demo");
    let output = liaison(
        home.path(),
        None,
        &["--json", "demo", "--dir", dir.to_str().unwrap()],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = json(&output);
    assert!(
        summary["relay"]
            .as_str()
            .unwrap()
            .starts_with("wss://127.0.0.1:")
    );
    assert_eq!(
        summary["tightening_would_remove"],
        serde_json::json!(["deu.weber"])
    );
    for officer in ["gbr.smith", "fra.martin", "deu.weber"] {
        let messages = summary["stores"][officer].as_array().unwrap();
        assert_eq!(messages.len(), 3, "{officer}");
        let flash = messages
            .iter()
            .find(|m| m["precedence"] == "FLASH")
            .unwrap();
        assert_eq!(flash["portion_marking"], "(NS//REL TO DEU, FRA, GBR)");
        assert_eq!(flash["acknowledged_by"].as_array().unwrap().len(), 2);
        assert!(messages.iter().any(|m| m["kind"] == "EXERCISE"));
    }
    // The stores are real SQLCipher files, not plaintext SQLite.
    let store = std::fs::read(dir.join("gbr.smith.db")).unwrap();
    assert!(!store.starts_with(b"SQLite format 3"));
}
