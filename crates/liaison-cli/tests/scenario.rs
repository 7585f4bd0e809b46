//! A GBR-FRA-DEU partnership run through the command layer (parsing,
//! dispatch, commands, JSON output) in one process, over a shared
//! in-process relay.

#![allow(clippy::unwrap_used, missing_docs)]

use std::future::pending;
use std::path::{Path, PathBuf};

use clap::Parser as _;
use liaison_cli::args::Cli;
use liaison_cli::{CliError, Connector, Context, ExitStatus, PassphraseSource, Session, run};
use liaison_core::{KdfParams, LoopbackConnection, LoopbackRelay};
use serde_json::Value;
use zeroize::Zeroizing;

/// Connects every profile to the same in-process relay as its officer.
struct Loopback(LoopbackRelay);

impl Connector for Loopback {
    type Relay = LoopbackConnection;

    fn connect(&self, _ctx: &Context, session: &Session) -> Result<LoopbackConnection, CliError> {
        Ok(self.0.connect(session.engine.officer_id()))
    }
}

struct World {
    dir: tempfile::TempDir,
    relay: Loopback,
}

/// What a command printed (parsed JSON lines) and how it exited.
struct Outcome {
    status: u8,
    lines: Vec<Value>,
}

impl Outcome {
    fn json(&self) -> &Value {
        self.lines.first().unwrap()
    }
}

impl World {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            relay: Loopback(LoopbackRelay::new()),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn context(&self, profile: Option<&str>) -> Context {
        let mut ctx = Context::new(self.dir.path().join("home"));
        ctx.profile = profile.map(str::to_owned);
        ctx.passphrase = Some(PassphraseSource::Text(Zeroizing::new(
            "correct horse".to_owned(),
        )));
        // Cheap Argon2id: these tests exercise the commands, not the KDF.
        ctx.kdf = KdfParams::new(1024, 1, 1).unwrap();
        ctx
    }

    /// Runs `liaison --json <words>` as `profile`.
    fn run(&self, profile: Option<&str>, words: &[&str]) -> Outcome {
        let cli = Cli::try_parse_from(
            ["liaison", "--json"]
                .into_iter()
                .chain(words.iter().copied()),
        )
        .unwrap();
        let mut ctx = self.context(profile);
        ctx.offline = cli.global.offline;
        let mut out = Vec::new();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let result = runtime.block_on(run::execute(
            &ctx,
            true,
            &cli.command,
            &self.relay,
            &mut out,
            pending::<()>(),
        ));
        let status = match result {
            Ok(status) => status.code(),
            Err(error) => {
                let mut err = Vec::new();
                run::report_error(&error, true, &mut out, &mut err);
                error.status().code()
            }
        };
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        Outcome { status, lines }
    }

    /// Runs and expects success.
    fn ok(&self, profile: Option<&str>, words: &[&str]) -> Value {
        let outcome = self.run(profile, words);
        assert_eq!(outcome.status, 0, "{words:?}: {:?}", outcome.lines);
        outcome.json().clone()
    }

    fn authority(&self, nation: &str) -> (PathBuf, PathBuf) {
        let file = self.path(&format!("{nation}.authority.pem"));
        let name = format!("{nation} Liaison Authority");
        let org = format!("{nation} Ministry of Defence");
        self.ok(
            None,
            &[
                "authority",
                "init",
                "--out",
                s(&file),
                "--name",
                &name,
                "--org",
                &org,
                "--nationality",
                nation,
            ],
        );
        let certificate = self.ok(None, &["authority", "certificate", "--authority", s(&file)]);
        let anchor = self.path(&format!("{nation}.anchor.pem"));
        std::fs::write(&anchor, certificate["pem"].as_str().unwrap()).unwrap();
        (file, anchor)
    }

    fn officer(&self, profile: &str, authority: &Path, id: &str, nation: &str, clearance: &str) {
        self.officer_pinning(profile, authority, id, nation, clearance, &[]);
    }

    /// An officer whose profile pins `partners` (anchor files) at
    /// onboarding, beside its own authority.
    fn officer_pinning(
        &self,
        profile: &str,
        authority: &Path,
        id: &str,
        nation: &str,
        clearance: &str,
        partners: &[&Path],
    ) {
        let name = format!("Officer {id}");
        let mut words = vec![
            "profile",
            "create",
            profile,
            "--authority",
            s(authority),
            "--officer-id",
            id,
            "--name",
            &name,
            "--org",
            "Liaison Staff",
            "--nationality",
            nation,
            "--clearance",
            clearance,
        ];
        for partner in partners {
            words.extend(["--partner", s(partner)]);
        }
        let view = self.ok(None, &words);
        assert_eq!(view["officer_id"], id);
        assert_eq!(view["protection"], "passphrase");
        assert_eq!(view["certificate"]["verified"], true);
        // Publishes key packages, so admins can add this officer.
        let synced = self.ok(Some(profile), &["sync"]);
        assert!(synced["key_packages_published"].as_u64().unwrap() > 0);
    }
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

const CEILING: &str = "NATO SECRET//REL TO DEU, FRA, GBR";
const DEFAULT: &str = "NATO RESTRICTED//REL TO DEU, FRA, GBR";

/// The fingerprint `authority show` gives for an authority file.
fn fingerprint_of(world: &World, authority: &Path) -> String {
    world.ok(None, &["authority", "show", "--authority", s(authority)])["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Sets up the cell: three officers and an under-cleared one, the channel
/// created by GBR with FRA and DEU added and joined. DEU pinned its
/// partners at onboarding and joins at its sync; FRA pinned only its own
/// authority, so its sync holds an invitation, which FRA accepts by
/// confirming the fingerprints of the authorities it had not pinned.
fn cell() -> World {
    let world = World::new();
    let (gbr, gbr_anchor) = world.authority("GBR");
    let (fra, fra_anchor) = world.authority("FRA");
    let (deu, deu_anchor) = world.authority("DEU");
    world.officer("gbr", &gbr, "gbr.smith", "GBR", "NATO SECRET");
    world.officer("fra", &fra, "fra.martin", "FRA", "NATO SECRET");
    world.officer_pinning(
        "deu",
        &deu,
        "deu.weber",
        "DEU",
        "NATO SECRET",
        &[&gbr_anchor, &fra_anchor],
    );
    world.officer("low", &fra, "fra.durand", "FRA", "NATO RESTRICTED");

    let created = world.ok(
        Some("gbr"),
        &[
            "channel",
            "create",
            "cell",
            "--ceiling",
            CEILING,
            "--default",
            DEFAULT,
            "--anchor",
            s(&fra_anchor),
            "--anchor",
            s(&deu_anchor),
        ],
    );
    assert_eq!(created["delivery"]["delivered"], true);
    assert_eq!(created["policy"]["anchors"].as_array().unwrap().len(), 3);
    let added = world.ok(
        Some("gbr"),
        &["channel", "add", "cell", "fra.martin", "deu.weber"],
    );
    assert_eq!(added["epoch"], 1);
    let synced = world.ok(Some("deu"), &["sync"]);
    assert_eq!(synced["joined"][0]["name"], "cell");
    assert!(synced["invitations_held"].as_array().unwrap().is_empty());

    let synced = world.ok(Some("fra"), &["sync"]);
    assert!(synced["joined"].as_array().unwrap().is_empty());
    assert_eq!(synced["invitations_held"][0]["channel"]["name"], "cell");
    let id = synced["invitations_held"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let (gbr_print, deu_print) = (fingerprint_of(&world, &gbr), fingerprint_of(&world, &deu));
    world.ok(
        Some("fra"),
        &[
            "invitations",
            "accept",
            &id,
            "--confirm",
            &gbr_print,
            "--confirm",
            &deu_print,
        ],
    );
    world.ok(Some("fra"), &["sync"]);
    world
}

#[test]
fn partnership_exchanges_labelled_traffic_with_acknowledgements() {
    let world = cell();

    let members = world.ok(Some("fra"), &["members", "cell"]);
    let ids: Vec<&str> = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["officer_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.contains(&"deu.weber") && ids.contains(&"gbr.smith"));

    let sent = world.ok(
        Some("gbr"),
        &[
            "send",
            "cell",
            "Checkpoint K7 closed until 0600Z",
            "--label",
            CEILING,
            "--precedence",
            "flash",
        ],
    );
    assert_eq!(sent["portion_marking"], "(NS//REL TO DEU, FRA, GBR)");
    assert_eq!(sent["delivery"]["delivered"], true);
    let flash_id = sent["message_id"].as_str().unwrap().to_owned();

    let synced = world.ok(Some("fra"), &["sync"]);
    assert_eq!(synced["new_messages"], 1);
    assert_eq!(synced["awaiting_ack"], 1);
    let listed = world.ok(Some("fra"), &["messages", "list", "cell"]);
    assert_eq!(listed["banner"], CEILING);
    let message = &listed["messages"][0];
    assert_eq!(message["body"], "Checkpoint K7 closed until 0600Z");
    assert_eq!(message["precedence"], "FLASH");
    assert_eq!(message["sender_id"], "gbr.smith");
    assert_eq!(message["sender_nation"], "GBR");
    assert_eq!(message["awaiting_your_ack"], true);

    let acked = world.ok(Some("fra"), &["ack", "cell", "--all"]);
    assert_eq!(acked["acknowledged"][0], flash_id.as_str());
    world.ok(Some("gbr"), &["sync"]);
    // The short id the text output shows is the end of the full id.
    let short = &flash_id[flash_id.len() - 8..];
    let read = world.ok(Some("gbr"), &["messages", "read", "cell", short]);
    assert_eq!(
        read["messages"][0]["acknowledged_by"][0]["officer_id"],
        "fra.martin"
    );

    // An exercise reply from DEU, labelled by default.
    world.ok(Some("deu"), &["sync"]);
    let reply = world.ok(
        Some("deu"),
        &[
            "send",
            "cell",
            "Standby team ready",
            "--exercise",
            "--reply-to",
            short,
            "--label",
            CEILING,
        ],
    );
    assert_eq!(reply["kind"], "EXERCISE");
    world.ok(Some("gbr"), &["sync"]);
    let listed = world.ok(Some("gbr"), &["messages", "list", "cell", "--limit", "1"]);
    let message = &listed["messages"][0];
    assert_eq!(message["exercise"], true);
    assert_eq!(message["reference"]["kind"], "reply");
    assert_eq!(message["reference"]["message_id"], flash_id.as_str());
    assert_eq!(message["sender_nation"], "DEU");

    let audit = world.ok(Some("gbr"), &["audit", "--channel", "cell"]);
    let events: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(events.contains(&"channel.created"), "{events:?}");
    // Each entry says its category, and the facts of what happened.
    let added = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "member.added")
        .expect("the add is audited");
    assert_eq!(added["category"], "membership");
    assert!(added["facts"]["member"].is_string(), "{added}");
    assert!(added["facts"]["by"].is_string(), "{added}");
}

#[test]
fn rules_refuse_with_exit_code_2() {
    let world = cell();
    // Under-cleared officer: admission refused.
    let refused = world.run(Some("gbr"), &["channel", "add", "cell", "fra.durand"]);
    assert_eq!(refused.status, 2);
    assert_eq!(refused.json()["error"]["kind"], "refused");
    // Above the ceiling.
    let above = world.run(
        Some("fra"),
        &[
            "send",
            "cell",
            "x",
            "--label",
            "COSMIC TOP SECRET//REL TO DEU, FRA, GBR",
        ],
    );
    assert_eq!(above.status, 2);
    // Not an admin.
    let not_admin = world.run(Some("fra"), &["channel", "remove", "cell", "deu.weber"]);
    assert_eq!(not_admin.status, 2);
    // Unknown channel, unknown message, unparseable label: usage.
    assert_eq!(world.run(Some("fra"), &["members", "nowhere"]).status, 1);
    assert_eq!(
        world
            .run(Some("fra"), &["messages", "read", "cell", "ffffffff"])
            .status,
        1
    );
    assert_eq!(
        world
            .run(
                Some("fra"),
                &["send", "cell", "x", "--label", "TOP SECRETISH"]
            )
            .status,
        1
    );
}

#[test]
fn tightening_previews_removals_and_needs_yes() {
    let world = cell();
    let narrow = [
        "channel",
        "policy",
        "cell",
        "--ceiling",
        "NATO SECRET//REL TO FRA, GBR",
        "--default",
        "NATO RESTRICTED//REL TO FRA, GBR",
    ];
    let preview = world.run(Some("gbr"), &narrow);
    assert_eq!(preview.status, ExitStatus::NotConfirmed.code());
    let view = preview.json();
    assert_eq!(view["applied"], false);
    assert_eq!(view["removes"][0]["officer_id"], "deu.weber");
    assert_eq!(view["removes"].as_array().unwrap().len(), 1);

    let mut confirmed = narrow.to_vec();
    confirmed.push("--yes");
    let applied = world.ok(Some("gbr"), &confirmed);
    assert_eq!(applied["applied"], true);
    assert_eq!(applied["after"]["ceiling"], "NATO SECRET//REL TO FRA, GBR");

    let removed = world.ok(Some("deu"), &["sync"]);
    assert_eq!(removed["removed_from"][0]["name"], "cell");
    // DEU did not ask to leave: its list says it was removed.
    let list = world.ok(Some("deu"), &["channel", "list"]);
    assert_eq!(list["channels"][0]["departure"], "removed");
    // DEU keeps its history read-only; sending is refused.
    assert_eq!(world.run(Some("deu"), &["send", "cell", "x"]).status, 2);
    let members = world.ok(Some("gbr"), &["members", "cell"]);
    assert_eq!(members["members"].as_array().unwrap().len(), 2);

    // A relaxation that removes nobody goes through without --yes.
    let relaxed = world.ok(
        Some("gbr"),
        &["channel", "policy", "cell", "--retention-days", "30"],
    );
    assert_eq!(relaxed["applied"], true);
    assert_eq!(relaxed["after"]["retention_days"], 30);
}

#[test]
fn promotion_leaving_and_listening() {
    let world = cell();
    let promoted = world.ok(Some("gbr"), &["channel", "promote", "cell", "fra.martin"]);
    assert_eq!(promoted["action"], "promote");
    let shown = world.ok(Some("fra"), &["sync"]);
    assert_eq!(shown["refused"], 0);
    let channel = world.ok(Some("fra"), &["channel", "show", "cell"]);
    let admins: Vec<&str> = channel["policy"]["admins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(admins, ["fra.martin", "gbr.smith"]);

    // DEU listens and sees GBR's message once.
    world.ok(Some("gbr"), &["send", "cell", "Routine update"]);
    let listened = world.run(
        Some("deu"),
        &[
            "listen",
            "--count",
            "1",
            "--interval-ms",
            "50",
            "--duration",
            "10",
        ],
    );
    assert_eq!(listened.status, 0);
    let events: Vec<&str> = listened
        .lines
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["listening", "message", "stopped"]);
    assert_eq!(listened.lines[1]["message"]["body"], "Routine update");
    assert_eq!(listened.lines[2]["reason"], "count");

    // DEU leaves; an admin's sync commits it; DEU sees the removal.
    let left = world.ok(Some("deu"), &["channel", "leave", "cell"]);
    assert_eq!(left["delivery"]["delivered"], true);
    world.ok(Some("gbr"), &["sync"]);
    let synced = world.ok(Some("deu"), &["sync"]);
    assert_eq!(synced["removed_from"][0]["name"], "cell");
    let list = world.ok(Some("deu"), &["channel", "list"]);
    assert_eq!(list["channels"][0]["active"], false);
    assert_eq!(list["channels"][0]["departure"], "left");
}

#[test]
fn offline_sends_queue_and_go_out_at_the_next_sync() {
    let world = cell();
    let mut ctx_words = vec!["--offline"];
    ctx_words.extend(["send", "cell", "queued while offline"]);
    let queued = world.ok(Some("fra"), &ctx_words);
    assert_eq!(queued["delivery"]["delivered"], false);
    assert_eq!(queued["delivery"]["relay_error"], Value::Null);
    world.ok(Some("gbr"), &["sync"]);
    let before = world.ok(Some("gbr"), &["messages", "list", "cell"]);
    assert_eq!(before["messages"].as_array().unwrap().len(), 0);
    world.ok(Some("fra"), &["sync"]);
    world.ok(Some("gbr"), &["sync"]);
    let after = world.ok(Some("gbr"), &["messages", "list", "cell"]);
    assert_eq!(after["messages"][0]["body"], "queued while offline");
}

#[test]
fn authority_revocation_and_crl_reach_the_channel() {
    let world = cell();
    let authority = world.path("FRA.authority.pem");
    // The issued chain for a new FRA officer, through the request flow.
    let key = world.path("device.key");
    let keygen = world.ok(None, &["profile", "keygen", "--out", s(&key)]);
    let public_key = keygen["public_key"].as_str().unwrap().to_owned();
    let chain = world.path("chain.pem");
    let issued = world.ok(
        None,
        &[
            "authority",
            "issue",
            "--authority",
            s(&authority),
            "--officer-id",
            "fra.bernard",
            "--public-key",
            &public_key,
            "--name",
            "Lt B. Bernard",
            "--org",
            "FRA MoD",
            "--nationality",
            "FRA",
            "--clearance",
            "NATO SECRET",
            "--out",
            s(&chain),
        ],
    );
    let imported = world.ok(
        None,
        &[
            "profile",
            "create",
            "bernard",
            "--certificate",
            s(&chain),
            "--device-key",
            s(&key),
            "--anchor",
            s(&world.path("FRA.anchor.pem")),
        ],
    );
    assert_eq!(imported["officer_id"], "fra.bernard");
    assert_eq!(imported["certificate"]["serial"], issued["serial"]);
    assert!(!key.exists(), "the device key file is removed after import");

    world.ok(
        None,
        &[
            "authority",
            "revoke",
            "--authority",
            s(&authority),
            issued["serial"].as_str().unwrap(),
        ],
    );
    let crl = world.path("fra.crl");
    let written = world.ok(
        None,
        &[
            "authority",
            "crl",
            "--authority",
            s(&authority),
            "--out",
            s(&crl),
        ],
    );
    assert_eq!(written["revoked"], 1);
    world.ok(Some("bernard"), &["sync"]);
    let carried = world.ok(
        Some("gbr"),
        &["channel", "policy", "cell", "--crl", s(&crl)],
    );
    assert_eq!(carried["after"]["crls"], 1);
    // The revoked officer can no longer be added.
    assert_eq!(
        world
            .run(Some("gbr"), &["channel", "add", "cell", "fra.bernard"])
            .status,
        2
    );
}

#[test]
fn a_private_authority_file_is_refused_as_an_anchor() {
    let world = World::new();
    let (gbr, _) = world.authority("GBR");
    world.officer("gbr", &gbr, "gbr.smith", "GBR", "NATO SECRET");
    let refused = world.run(
        Some("gbr"),
        &[
            "channel",
            "create",
            "cell",
            "--ceiling",
            CEILING,
            "--anchor",
            s(&gbr),
        ],
    );
    assert_eq!(refused.status, 1);
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("private key")
    );
}

#[test]
fn history_is_searched_archived_exported_and_imported_offline() {
    let world = cell();
    world.ok(
        Some("gbr"),
        &[
            "send",
            "cell",
            "Convoy crossing at bridge K7",
            "--precedence",
            "flash",
            "--label",
            CEILING,
        ],
    );
    world.ok(Some("gbr"), &["send", "cell", "Weather briefing postponed"]);
    world.ok(Some("fra"), &["sync"]);

    let found = world.ok(
        Some("fra"),
        &["--offline", "search", "conv*", "--precedence", "flash"],
    );
    assert_eq!(found["banner"], CEILING);
    let hits = found["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["message"]["body"], "Convoy crossing at bridge K7");
    assert_eq!(hits[0]["message"]["verification"], "verified");
    assert!(
        hits[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("\u{2}Convoy\u{3}")
    );
    assert_eq!(world.run(Some("fra"), &["search", "*"]).status, 1);
    assert_eq!(world.run(Some("fra"), &["search", ""]).status, 1);

    let pass = world.path("archive-passphrase");
    std::fs::write(&pass, "archive secret\n").unwrap();
    let file = world.path("cell.archive");
    let exported = world.ok(
        Some("gbr"),
        &[
            "export",
            "cell",
            "--out",
            s(&file),
            "--archive-passphrase-file",
            s(&pass),
        ],
    );
    assert_eq!(exported["messages"], 2);
    assert_eq!(exported["protection"], "passphrase");

    let wrong = world.path("wrong-passphrase");
    std::fs::write(&wrong, "not it\n").unwrap();
    let refused = world.run(
        Some("deu"),
        &["import", s(&file), "--archive-passphrase-file", s(&wrong)],
    );
    assert_eq!(refused.status, 3);
    let imported = world.ok(
        Some("deu"),
        &["import", s(&file), "--archive-passphrase-file", s(&pass)],
    );
    assert_eq!(imported["messages"], 2);
    assert_eq!(imported["verified"], 2);
    assert_eq!(imported["tampered"], 0);
    let again = world.run(
        Some("deu"),
        &["import", s(&file), "--archive-passphrase-file", s(&pass)],
    );
    assert_eq!(again.status, 1);
    let id = imported["channel"]["id"].as_str().unwrap();
    let listed = world.ok(Some("deu"), &["channel", "list"]);
    let origins: Vec<&str> = listed["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["origin"].as_str().unwrap())
        .collect();
    assert!(origins.contains(&"imported") && origins.contains(&"live"));
    let copy = world.ok(Some("deu"), &["messages", "list", &id[..12]]);
    assert_eq!(copy["messages"].as_array().unwrap().len(), 2);
    assert_eq!(
        world.run(Some("deu"), &["send", &id[..12], "reply"]).status,
        2
    );

    world.ok(Some("fra"), &["channel", "archive", "cell"]);
    assert_eq!(world.run(Some("fra"), &["send", "cell", "more"]).status, 2);
    let still = world.ok(Some("fra"), &["search", "weather"]);
    assert_eq!(still["hits"].as_array().unwrap().len(), 1);
}

/// A look-alike authority made by a channel's creator ("GBR Liaison
/// Authority", another key): the invited officer is asked, shown every
/// authority's name and fingerprint, and joins only once it confirms the
/// unpinned one; pins and unpins need the fingerprint; a policy change that
/// adds an authority is reported by `sync`.
#[test]
fn partner_authorities_are_pinned_with_confirmation_and_invitations_wait_for_the_officer() {
    let world = World::new();
    let (gbr, gbr_anchor) = world.authority("GBR");
    let (fra, fra_anchor) = world.authority("FRA");
    let (_, deu_anchor) = world.authority("DEU");
    // The same name, another key, in another file.
    let look_alike = world.path("look-alike.authority.pem");
    world.ok(
        None,
        &[
            "authority",
            "init",
            "--out",
            s(&look_alike),
            "--name",
            "GBR Liaison Authority",
            "--org",
            "GBR Ministry of Defence",
            "--nationality",
            "GBR",
        ],
    );
    let pem = world.ok(
        None,
        &["authority", "certificate", "--authority", s(&look_alike)],
    );
    let look_alike_anchor = world.path("look-alike.anchor.pem");
    std::fs::write(&look_alike_anchor, pem["pem"].as_str().unwrap()).unwrap();
    let (gbr_print, fra_print, look_print) = (
        fingerprint_of(&world, &gbr),
        fingerprint_of(&world, &fra),
        fingerprint_of(&world, &look_alike),
    );
    world.officer("gbr", &gbr, "gbr.smith", "GBR", "NATO SECRET");
    world.officer_pinning(
        "fra",
        &fra,
        "fra.martin",
        "FRA",
        "NATO SECRET",
        &[&gbr_anchor],
    );

    // What FRA trusts: its own authority and the GBR partner, at onboarding.
    let pinned = world.ok(Some("fra"), &["authority", "pinned"]);
    let listed: Vec<(&str, &str)> = pinned["authorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["fingerprint"].as_str().unwrap(),
                a["source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&(fra_print.as_str(), "onboarding")));
    assert!(listed.contains(&(gbr_print.as_str(), "onboarding")));

    // Pinning shows the name and fingerprint and needs the confirmation.
    let shown = world.run(Some("fra"), &["authority", "pin", s(&look_alike_anchor)]);
    assert_eq!(shown.status, 6);
    assert_eq!(shown.json()["authority"]["name"], "GBR Liaison Authority");
    assert_eq!(
        shown.json()["authority"]["fingerprint"],
        look_print.as_str()
    );
    assert_eq!(shown.json()["needs_confirmation"], true);
    let wrong = world.run(
        Some("fra"),
        &[
            "authority",
            "pin",
            s(&look_alike_anchor),
            "--confirm",
            &gbr_print,
        ],
    );
    assert_eq!(wrong.status, 2, "{:?}", wrong.lines);
    assert_eq!(wrong.json()["error"]["kind"], "refused");

    // GBR's channel names the look-alike; FRA is not joined silently.
    world.ok(
        Some("gbr"),
        &[
            "channel",
            "create",
            "rogue cell",
            "--ceiling",
            "NATO SECRET//REL TO FRA, GBR",
            "--anchor",
            s(&fra_anchor),
            "--anchor",
            s(&look_alike_anchor),
        ],
    );
    world.ok(Some("gbr"), &["channel", "add", "rogue cell", "fra.martin"]);
    world.ok(Some("gbr"), &["send", "rogue cell", "invented news"]);
    let synced = world.ok(Some("fra"), &["sync"]);
    assert!(synced["joined"].as_array().unwrap().is_empty());
    assert_eq!(
        synced["invitations_held"][0]["channel"]["name"],
        "rogue cell"
    );
    assert!(
        world.ok(Some("fra"), &["channel", "list"])["channels"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let listed = world.ok(Some("fra"), &["invitations"]);
    let invitation = &listed["invitations"][0];
    assert_eq!(invitation["channel"]["name"], "rogue cell");
    assert_eq!(invitation["invited_by"]["officer_id"], "gbr.smith");
    let anchors: Vec<(&str, &str, bool)> = invitation["anchors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap(),
                a["fingerprint"].as_str().unwrap(),
                a["pinned"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(anchors.contains(&("GBR Liaison Authority", gbr_print.as_str(), true)));
    assert!(anchors.contains(&("GBR Liaison Authority", look_print.as_str(), false)));
    assert!(anchors.contains(&("FRA Liaison Authority", fra_print.as_str(), true)));
    let id = invitation["id"].as_i64().unwrap().to_string();

    // Accepting needs the unpinned fingerprint, and only a fingerprint of
    // the channel's authorities.
    let unconfirmed = world.run(Some("fra"), &["invitations", "accept", &id]);
    assert_eq!(unconfirmed.status, 6);
    assert_eq!(unconfirmed.json()["needs_confirmation"], true);
    let partial = world.run(
        Some("fra"),
        &["invitations", "accept", &id, "--confirm", &gbr_print],
    );
    assert_eq!(partial.status, 6, "{:?}", partial.lines);
    let stray = world.run(
        Some("fra"),
        &["invitations", "accept", &id, "--confirm", &"ab".repeat(32)],
    );
    assert_eq!(stray.status, 2);
    assert_eq!(
        world
            .run(Some("fra"), &["invitations", "decline", "999"])
            .status,
        1
    );

    // Declined: forgotten, never joined.
    let declined = world.ok(Some("fra"), &["invitations", "decline", &id]);
    assert_eq!(declined["declined"], true);
    assert!(
        world.ok(Some("fra"), &["invitations"])["invitations"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Asked again in another channel, FRA accepts with the right
    // fingerprint: pinned, joined, caught up.
    world.ok(
        Some("gbr"),
        &[
            "channel",
            "create",
            "second cell",
            "--ceiling",
            "NATO SECRET//REL TO FRA, GBR",
            "--anchor",
            s(&fra_anchor),
            "--anchor",
            s(&look_alike_anchor),
        ],
    );
    world.ok(
        Some("gbr"),
        &["channel", "add", "second cell", "fra.martin"],
    );
    world.ok(Some("gbr"), &["send", "second cell", "hello again"]);
    let synced = world.ok(Some("fra"), &["sync"]);
    let id = synced["invitations_held"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let accepted = world.ok(
        Some("fra"),
        &["invitations", "accept", &id, "--confirm", &look_print],
    );
    assert_eq!(accepted["joined"], true);
    assert_eq!(accepted["pinned"][0]["fingerprint"], look_print.as_str());
    world.ok(Some("fra"), &["sync"]);
    let messages = world.ok(Some("fra"), &["messages", "list", "second cell"]);
    assert_eq!(messages["messages"][0]["body"], "hello again");
    let pinned = world.ok(Some("fra"), &["authority", "pinned"]);
    assert!(
        pinned["authorities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["fingerprint"] == look_print.as_str() && a["source"] == "officer")
    );

    // A policy change adding an authority is reported to the member.
    world.ok(
        Some("gbr"),
        &[
            "channel",
            "policy",
            "second cell",
            "--add-anchor",
            s(&deu_anchor),
        ],
    );
    let synced = world.ok(Some("fra"), &["sync"]);
    assert_eq!(synced["anchors_added"][0]["channel"]["name"], "second cell");
    assert_eq!(
        synced["anchors_added"][0]["authority"]["name"],
        "DEU Liaison Authority"
    );
    assert_eq!(synced["anchors_added"][0]["authority"]["pinned"], false);

    // Unpinning needs the same fingerprint again.
    let unconfirmed = world.run(Some("fra"), &["authority", "unpin", &look_print]);
    assert_eq!(unconfirmed.status, 6);
    world.ok(
        Some("fra"),
        &["authority", "unpin", &look_print, "--confirm", &look_print],
    );
    let pinned = world.ok(Some("fra"), &["authority", "pinned"]);
    assert_eq!(pinned["authorities"].as_array().unwrap().len(), 2);
    let audit = world.ok(Some("fra"), &["audit", "--limit", "200"]);
    let events: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for event in [
        "authority.pinned",
        "authority.unpinned",
        "invitation.held",
        "invitation.declined",
        "invitation.accepted",
        "channel.anchor_added",
    ] {
        assert!(events.contains(&event), "{event} missing from {events:?}");
    }
}
