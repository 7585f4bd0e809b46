//! The commands through Tauri's mock runtime: real desks on temporary
//! homes, real SQLCipher files, JSON in and out as the webview sends it.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use liaison_core::{
    Authority, ChannelPolicy, KdfParams, Label, Nationality, PolicyRegistry, TrustAnchors, Validity,
};
use liaison_desk::views::PrecedenceView;
use liaison_desk::{AuthorityIssuer, Desk, DeskConfig, Notice};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use crate::commands::declarations;
use crate::dialogs::scripted::Answers;
use crate::{COMMANDS, DeskState, Launch, notification_text, with_commands};

fn authority() -> Authority {
    let now = SystemTime::now();
    Authority::init(
        "GBR Liaison Authority",
        "GBR Ministry of Defence",
        &Nationality::new("GBR").unwrap(),
        Validity::new(
            now - Duration::from_secs(86_400),
            now + Duration::from_secs(365 * 86_400),
        )
        .unwrap(),
    )
    .unwrap()
}

struct Shell {
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    desk: Arc<Desk>,
    authority: Authority,
    _home: tempfile::TempDir,
}

fn shell() -> Shell {
    shell_answering(None)
}

/// A shell whose file dialogs answer from `answers` (see `dialogs::scripted`).
fn shell_answering(answers: Option<&str>) -> Shell {
    let home = tempfile::tempdir().unwrap();
    let authority = authority();
    let mut config = DeskConfig::new(home.path());
    config.kdf = KdfParams::new(64, 1, 1).unwrap();
    config.issuer = Some(Arc::new(AuthorityIssuer::new(
        Authority::from_pem(&authority.to_pem()).unwrap(),
        "GBR Liaison Staff",
        Duration::from_secs(86_400),
    )));
    let desk = Arc::new(Desk::new(config));
    let mut builder = with_commands(mock_builder()).manage(DeskState::new(Arc::clone(&desk)));
    if let Some(answers) = answers {
        builder = builder.manage(Answers::parse(answers).unwrap());
    }
    let app = builder.build(mock_context(noop_assets())).unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Shell {
        _app: app,
        webview,
        desk,
        authority,
        _home: home,
    }
}

/// Invokes a command as the webview does; the result or the error, as JSON.
fn invoke(shell: &Shell, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &shell.webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

fn create_profile(shell: &Shell) -> Value {
    invoke(
        shell,
        "create_exercise_profile",
        json!({"request": {
            "displayName": "Desk Officer",
            "officerId": "gbr.desk",
            "nationality": "GBR",
            "clearance": "NATO SECRET",
            "protection": "passphrase",
            "passphrase": "correct horse"
        }}),
    )
    .unwrap()
}

#[test]
fn status_moves_from_no_profile_to_unlocked_to_locked() {
    let shell = shell();
    let status = invoke(&shell, "app_status", json!({})).unwrap();
    assert_eq!(status["phase"], "noProfile");
    assert_eq!(status["demo"], false);
    assert_eq!(status["language"], "en");
    assert!(status.get("profile").is_none());
    let error = invoke(&shell, "list_channels", json!({})).unwrap_err();
    assert_eq!(error["kind"], "noProfile");

    let profile = create_profile(&shell);
    assert_eq!(profile["officerId"], "gbr.desk");
    assert_eq!(profile["displayName"], "Desk Officer");
    assert_eq!(profile["clearance"], "NATO SECRET");
    assert_eq!(profile["protection"], "passphrase");
    let status = invoke(&shell, "app_status", json!({})).unwrap();
    assert_eq!(status["phase"], "unlocked");
    assert_eq!(status["profile"]["officerId"], "gbr.desk");

    assert_eq!(invoke(&shell, "lock", json!({})).unwrap(), Value::Null);
    let status = invoke(&shell, "app_status", json!({})).unwrap();
    assert_eq!(status["phase"], "locked");
    assert_eq!(status["protection"], "passphrase");
    assert_eq!(
        invoke(&shell, "connection_state", json!({})).unwrap(),
        "offline"
    );
}

#[test]
fn unlock_with_a_wrong_passphrase_is_wrong_passphrase() {
    let shell = shell();
    create_profile(&shell);
    invoke(&shell, "lock", json!({})).unwrap();
    let error = invoke(&shell, "unlock", json!({"secret": "battery staple"})).unwrap_err();
    assert_eq!(error["kind"], "wrongPassphrase");
    assert!(error["message"].as_str().unwrap().contains("passphrase"));
    let error = invoke(&shell, "unlock", json!({})).unwrap_err();
    assert_eq!(error["kind"], "invalidInput");
    assert_eq!(error["field"], "passphrase");
    let profile = invoke(&shell, "unlock", json!({"secret": "correct horse"})).unwrap();
    assert_eq!(profile["officerId"], "gbr.desk");
}

#[test]
fn files_come_from_the_dialog_as_tokens_and_a_cancelled_dialog_is_no_error() {
    let shell = shell_answering(Some(
        "openCertificate cancel\n\
         openCertificate /nonexistent/officer.pem\n\
         openKey /nonexistent/officer.key\n",
    ));
    let choose = |purpose: &str| invoke(&shell, "choose_file", json!({ "purpose": purpose }));
    assert_eq!(
        choose("openCertificate").unwrap(),
        json!({"kind": "cancelled"})
    );
    let certificate = choose("openCertificate").unwrap();
    assert_eq!(certificate["kind"], "chosen");
    assert_eq!(certificate["name"], "officer.pem");
    // The window learns the name, not where the file is.
    assert!(
        !certificate.to_string().contains("nonexistent"),
        "{certificate}"
    );
    let key = choose("openKey").unwrap();
    let import = |certificate_file: &Value, key_file: &Value| {
        invoke(
            &shell,
            "import_profile",
            json!({"request": {
                "certificateFile": certificate_file,
                "keyFile": key_file,
                "protection": "passphrase",
                "passphrase": "pw"
            }}),
        )
        .unwrap_err()
    };
    // Swapped tokens, or a path where a token belongs, are refused.
    let swapped = import(&key["token"], &certificate["token"]);
    assert_eq!(swapped["kind"], "invalidInput");
    assert_eq!(swapped["field"], "certificateFile");
    let path = import(&json!("/nonexistent/officer.pem"), &key["token"]);
    assert_eq!(path["kind"], "invalidInput");
    assert_eq!(path["field"], "certificateFile");
    // The files behind the right tokens are read (they do not exist).
    let missing = import(&certificate["token"], &key["token"]);
    assert_eq!(missing["kind"], "certificate");
    let status = invoke(&shell, "app_status", json!({})).unwrap();
    assert_eq!(status["phase"], "noProfile");
    // No purpose of the window's own making.
    assert!(choose("/etc/passwd").is_err());
}

#[test]
fn without_an_answer_left_a_dialog_is_an_error_not_a_guess() {
    let shell = shell_answering(Some("openKey /nonexistent/officer.key"));
    let error = invoke(&shell, "choose_file", json!({"purpose": "saveArchive"})).unwrap_err();
    assert_eq!(error["kind"], "internal");
    let error = invoke(&shell, "choose_file", json!({"purpose": "openKey"})).unwrap_err();
    assert_eq!(error["kind"], "internal");
}

fn label(marking: &str) -> Label {
    Label::parse_marking(marking, &PolicyRegistry::builtin()).unwrap()
}

#[test]
fn channels_are_listed_and_a_label_above_the_ceiling_is_refused() {
    let shell = shell();
    create_profile(&shell);
    assert_eq!(
        invoke(&shell, "list_channels", json!({})).unwrap(),
        json!([])
    );
    let policy = ChannelPolicy::new(
        "GBR cell",
        label("NATO SECRET//REL TO GBR"),
        label("NATO RESTRICTED//REL TO GBR"),
        ["gbr.desk".to_owned()],
        TrustAnchors::new(vec![shell.authority.certificate_der().to_vec()]).unwrap(),
    )
    .unwrap();
    let id = tauri::async_runtime::block_on(shell.desk.create_channel(policy)).unwrap();
    let channels = invoke(&shell, "list_channels", json!({})).unwrap();
    assert_eq!(channels[0]["id"], id);
    assert_eq!(channels[0]["name"], "GBR cell");
    assert_eq!(channels[0]["ceiling"]["tone"], "secret");
    assert_eq!(channels[0]["isAdmin"], true);
    assert_eq!(channels[0]["origin"], "live");

    let options = invoke(&shell, "composer_options", json!({"channelId": id})).unwrap();
    assert_eq!(options["labels"][0]["isDefault"], true);
    assert_eq!(options["canSend"], true);

    let send = |marking: &str| {
        invoke(
            &shell,
            "send_message",
            json!({"request": {
                "channelId": id,
                "body": "status report",
                "marking": marking,
                "precedence": "priority",
                "exercise": true
            }}),
        )
    };
    let error = send("COSMIC TOP SECRET//REL TO GBR").unwrap_err();
    assert_eq!(error["kind"], "labelRefused");
    assert!(error["message"].as_str().unwrap().contains("ceiling"));
    let sent = send("NATO SECRET//REL TO GBR").unwrap();
    assert_eq!(sent["pending"], true);
    assert_eq!(sent["exercise"], true);
    assert_eq!(sent["label"]["portion"], "(NS//REL TO GBR)");
    let page = invoke(
        &shell,
        "thread_page",
        json!({"channelId": id, "start": 0, "count": 50}),
    )
    .unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["messages"][0]["body"], "status report");
    assert_eq!(
        invoke(
            &shell,
            "mark_read",
            json!({"channelId": id, "upToIndex": 0})
        )
        .unwrap(),
        Value::Null
    );
    let members = invoke(&shell, "list_members", json!({"channelId": id})).unwrap();
    assert_eq!(members[0]["role"], "admin");
    assert_eq!(members[0]["isSelf"], true);
    let policy = invoke(&shell, "channel_policy", json!({"channelId": id})).unwrap();
    assert_eq!(
        policy["ceiling"]["tags"],
        json!([{"category": "Releasable To", "value": "GBR"}])
    );
    assert_eq!(policy["onRemoval"], "keep");
    let error = invoke(&shell, "directory", json!({"channelId": id})).unwrap_err();
    assert_eq!(error["kind"], "offline");
}

#[test]
fn a_channel_is_created_through_the_window_with_structured_issues() {
    let shell = shell();
    create_profile(&shell);
    let policies = invoke(&shell, "label_policies", json!({})).unwrap();
    assert!(
        policies
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "NATO")
    );
    let form = invoke(&shell, "new_channel_form", json!({})).unwrap();
    assert_eq!(form["anchors"][0]["own"], true);
    let own = form["anchors"][0]["fingerprint"].clone();
    assert_eq!(
        form["suggestedCeiling"],
        json!({"policyId": "NATO", "classification": "NATO SECRET",
               "tags": [{"category": "Releasable To", "value": "GBR"}]})
    );
    let error = invoke(&shell, "officer_directory", json!({})).unwrap_err();
    assert_eq!(error["kind"], "offline");

    let label = |level: &str| {
        json!({"policyId": "NATO", "classification": level,
               "tags": [{"category": "Releasable To", "value": "GBR"}]})
    };
    let request = |default: &str| {
        json!({"request": {
            "name": "GBR planning",
            "ceiling": label("NATO CONFIDENTIAL"),
            "defaultLabel": label(default),
            "admins": [],
            "anchors": [own],
            "onRemoval": "keep"
        }})
    };
    let issues = invoke(&shell, "check_new_channel", request("NATO SECRET")).unwrap();
    assert_eq!(issues[0]["code"], "defaultAboveCeiling");
    assert_eq!(issues[0]["excess"][0]["code"], "level");
    let error = invoke(&shell, "create_channel", request("NATO SECRET")).unwrap_err();
    assert_eq!(error["kind"], "invalidInput");
    assert_eq!(error["field"], "defaultLabel");

    assert_eq!(
        invoke(&shell, "check_new_channel", request("NATO RESTRICTED")).unwrap(),
        json!([])
    );
    let id = invoke(&shell, "create_channel", request("NATO RESTRICTED")).unwrap();
    let channels = invoke(&shell, "list_channels", json!({})).unwrap();
    assert_eq!(channels[0]["id"], id);
    assert_eq!(channels[0]["isAdmin"], true);
    assert_eq!(
        channels[0]["ceiling"]["marking"],
        "NATO CONFIDENTIAL//REL TO GBR"
    );
}

#[test]
fn settings_round_trip_and_bad_values_name_their_field() {
    let shell = shell();
    let settings = invoke(&shell, "settings", json!({})).unwrap();
    assert_eq!(settings["notificationsShowContent"], false);
    let error = invoke(
        &shell,
        "save_settings",
        json!({"settings": {"relayUrl": "http://x", "notificationsShowContent": false, "idleLockMinutes": 5, "language": "fr"}}),
    )
    .unwrap_err();
    assert_eq!(error["field"], "relayUrl");
    let saved = invoke(
        &shell,
        "save_settings",
        json!({"settings": {"relayUrl": "", "notificationsShowContent": false, "idleLockMinutes": 5, "language": "fr"}}),
    )
    .unwrap();
    assert_eq!(saved["language"], "fr");
    assert_eq!(
        invoke(&shell, "app_status", json!({})).unwrap()["language"],
        "fr"
    );
}

#[test]
fn pinned_authorities_and_invitations_go_through_as_json() {
    let shell = shell();
    create_profile(&shell);
    let pinned = invoke(&shell, "pinned_authorities", json!({})).unwrap();
    assert_eq!(pinned[0]["name"], "GBR Liaison Authority");
    assert_eq!(
        pinned[0]["fingerprint"],
        shell.authority.fingerprint().to_string()
    );
    assert_eq!(pinned[0]["source"], "onboarding");
    assert!(pinned[0]["pinnedAtMs"].as_u64().unwrap() > 0);
    assert_eq!(
        invoke(&shell, "list_invitations", json!({})).unwrap(),
        json!([])
    );
    let error = invoke(
        &shell,
        "accept_invitation",
        json!({"request": {"id": 1, "confirmedFingerprints": ["not hex"]}}),
    )
    .unwrap_err();
    assert_eq!(error["kind"], "invalidInput");
    assert_eq!(error["field"], "confirmedFingerprints");
    let error = invoke(
        &shell,
        "accept_invitation",
        json!({"request": {"id": 1, "confirmedFingerprints": []}}),
    )
    .unwrap_err();
    assert_eq!(error["kind"], "notFound");
    let error = invoke(&shell, "decline_invitation", json!({"id": 7})).unwrap_err();
    assert_eq!(error["kind"], "notFound");
    let error = invoke(&shell, "anchor_notices", json!({"channelId": "zz"})).unwrap_err();
    assert_eq!(error["kind"], "invalidInput");
}

#[test]
fn every_command_of_the_contract_is_registered() {
    let shell = shell();
    let unknown = invoke(&shell, "no_such_command", json!({})).unwrap_err();
    assert!(unknown.to_string().contains("not found"), "{unknown}");
    for command in COMMANDS {
        // Missing arguments are an argument error, an unknown command a
        // different one: each registered command must get past lookup.
        if let Err(error) = invoke(&shell, command, json!({})) {
            let text = error.to_string();
            assert!(!text.contains("not found"), "{command}: {text}");
        }
    }
}

#[test]
fn the_declared_commands_are_the_registered_and_permitted_ones() {
    let declared: Vec<&str> = declarations().iter().map(|c| c.name).collect();
    assert!(declared.contains(&"import_archive"), "{declared:?}");
    assert_eq!(declared, COMMANDS);
    // The capability the app is built with, as build.rs wrote it.
    let capability: Value = serde_json::from_str(include_str!(concat!(
        env!("OUT_DIR"),
        "/capabilities/main.json"
    )))
    .unwrap();
    let granted = capability["permissions"].as_array().unwrap();
    let mut permitted: Vec<Value> = declared
        .iter()
        .map(|command| json!(format!("allow-{}", command.replace('_', "-"))))
        .collect();
    for permission in &permitted {
        assert!(granted.contains(permission), "{permission}");
    }
    // Nothing else: in particular no dialog, file system or shell plugin
    // permission, so the webview opens no dialog and names no file itself.
    permitted.extend([
        json!("core:event:allow-listen"),
        json!("core:event:allow-unlisten"),
    ]);
    for permission in granted {
        assert!(permitted.contains(permission), "{permission} is granted");
    }
}

/// The last path segment of every type named in a Rust type's name
/// (`core::option::Option<alloc::string::String>` gives `Option`, `String`).
fn type_words(rust: &str) -> Vec<&str> {
    rust.split(['<', '>', ',', ' ', '&', '(', ')', '[', ']', ';'])
        .filter(|word| !word.is_empty())
        .map(|path| path.rsplit("::").next().unwrap_or(path))
        .collect()
}

/// Why an argument the window sends could carry a file system path, if it
/// could.
fn path_like(name: &str, rust: &str) -> Option<String> {
    const PATH_TYPES: [&str; 5] = ["PathBuf", "Path", "OsString", "OsStr", "Url"];
    // Every type a command may take from the webview, none of them a path
    // or holding one (the request types are checked below). A new type
    // must be added here, knowingly.
    const KNOWN: [&str; 20] = [
        "String",
        "u64",
        "u32",
        "i64",
        "bool",
        "Channel",
        "ProgressView",
        "FilePurpose",
        "FileToken",
        "SendRequest",
        "SearchRequest",
        "ExportArchiveRequest",
        "ImportArchiveRequest",
        "ImportProfileRequest",
        "ExerciseProfileRequest",
        "Settings",
        "PolicyView",
        "AcceptInvitationRequest",
        // Labels in parts, officer ids and fingerprints: no file.
        "NewChannelRequest",
        "AuditRequest",
    ];
    let lower = name.to_lowercase();
    if lower.contains("path") || lower.ends_with("dir") {
        return Some(format!("argument `{name}`"));
    }
    for word in type_words(rust) {
        if PATH_TYPES.contains(&word) {
            return Some(format!("type {word} in `{name}: {rust}`"));
        }
        if !KNOWN.contains(&word) {
            return Some(format!("unreviewed type {word} in `{name}: {rust}`"));
        }
    }
    None
}

#[test]
fn no_command_takes_a_file_path_from_the_webview() {
    let mut read = 0;
    for command in declarations() {
        for (name, shape) in &command.arguments {
            assert_eq!(path_like(name, shape.rust), None, "{}", command.name);
            read += 1;
        }
    }
    assert!(read > COMMANDS.len(), "only {read} arguments read");
    // The request bodies the webview sends carry tokens, never paths.
    let requests = include_str!("../../crates/liaison-desk/src/requests.rs");
    for word in requests.split(|c: char| !c.is_alphanumeric() && c != '_') {
        assert!(
            !["PathBuf", "Path", "OsString", "OsStr"].contains(&word) && !word.ends_with("_path"),
            "requests.rs mentions {word}"
        );
    }
    // The check itself sees a path.
    assert!(path_like("path", "alloc::string::String").is_some());
    assert!(path_like("file", "std::path::PathBuf").is_some());
    assert!(path_like("file", "core::option::Option<my::Location>").is_some());
    assert_eq!(
        type_words("tauri::ipc::channel::Channel<liaison_desk::views::ProgressView>"),
        ["Channel", "ProgressView"]
    );
}

#[test]
fn search_finds_a_sent_message_and_refuses_an_empty_query() {
    let shell = shell();
    create_profile(&shell);
    let policy = ChannelPolicy::new(
        "GBR cell",
        label("NATO SECRET//REL TO GBR"),
        label("NATO RESTRICTED//REL TO GBR"),
        ["gbr.desk".to_owned()],
        TrustAnchors::new(vec![shell.authority.certificate_der().to_vec()]).unwrap(),
    )
    .unwrap();
    let id = tauri::async_runtime::block_on(shell.desk.create_channel(policy)).unwrap();
    invoke(
        &shell,
        "send_message",
        json!({"request": {
            "channelId": id,
            "body": "convoy passed the checkpoint",
            "marking": "NATO SECRET//REL TO GBR",
            "precedence": "routine",
            "exercise": false
        }}),
    )
    .unwrap();
    let results = invoke(
        &shell,
        "search",
        json!({"query": {"text": "checkpoint", "limit": 20}}),
    )
    .unwrap();
    let hit = &results["hits"][0];
    assert_eq!(hit["channelId"], id);
    assert_eq!(hit["channelName"], "GBR cell");
    assert_eq!(hit["message"]["label"]["portion"], "(NS//REL TO GBR)");
    assert_eq!(hit["message"]["verification"], "own");
    assert!(
        hit["snippet"]
            .as_str()
            .unwrap()
            .contains("\u{2}checkpoint\u{3}")
    );
    assert_eq!(results["highest"]["marking"], "NATO SECRET//REL TO GBR");
    let error = invoke(
        &shell,
        "search",
        json!({"query": {"text": "", "limit": 20}}),
    )
    .unwrap_err();
    assert_eq!(error["kind"], "invalidInput");
    assert_eq!(error["field"], "text");
    assert_eq!(
        invoke(&shell, "archive_channel", json!({"channelId": id})).unwrap(),
        Value::Null
    );
    assert_eq!(
        invoke(&shell, "list_channels", json!({})).unwrap()[0]["archived"],
        true
    );
}

#[test]
fn notifications_hide_content_unless_allowed() {
    let notice = Notice {
        channel_name: "GBR cell".into(),
        sender_name: "Officer fra.one".into(),
        portion: "(NS//REL TO GBR)".into(),
        precedence: PrecedenceView::Flash,
        exercise: true,
        body: "the secret text".into(),
    };
    let (title, body) = notification_text(&notice, false);
    assert_eq!(title, "EXERCISE FLASH Officer fra.one — GBR cell");
    assert!(!body.contains("secret text"));
    assert!(body.starts_with("(NS//REL TO GBR)"));
    let (_, body) = notification_text(&notice, true);
    assert!(body.contains("the secret text"));
}

#[test]
fn launch_options_come_from_arguments_and_environment() {
    let env = |name: &str| match name {
        "LIAISON_HOME" => Some("/tmp/liaison-home".into()),
        "LIAISON_RELAY_URL" => Some("wss://relay.test:8443/v1/ws".into()),
        _ => None,
    };
    let launch = Launch::from(vec!["--demo".to_owned()], env);
    assert!(launch.demo);
    assert_eq!(
        launch.home(std::path::Path::new("/platform")),
        std::path::Path::new("/tmp/liaison-home/demo")
    );
    assert_eq!(
        launch.relay_url.as_deref(),
        Some("wss://relay.test:8443/v1/ws")
    );
    let plain = Launch::from(Vec::<String>::new(), |name| {
        (name == "LIAISON_DEMO").then(|| "0".into())
    });
    assert!(!plain.demo);
    assert_eq!(
        plain.home(std::path::Path::new("/platform")),
        std::path::Path::new("/platform")
    );
}
