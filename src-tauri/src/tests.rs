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
    let error = invoke(&shell, "unlock", json!({"passphrase": "battery staple"})).unwrap_err();
    assert_eq!(error["kind"], "wrongPassphrase");
    assert!(error["message"].as_str().unwrap().contains("passphrase"));
    let error = invoke(&shell, "unlock", json!({})).unwrap_err();
    assert_eq!(error["kind"], "invalidInput");
    assert_eq!(error["field"], "passphrase");
    let profile = invoke(&shell, "unlock", json!({"passphrase": "correct horse"})).unwrap();
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
    assert_eq!(policy["releasableTo"], json!(["GBR"]));
    assert_eq!(policy["onRemoval"], "keep");
    let error = invoke(&shell, "directory", json!({"channelId": id})).unwrap_err();
    assert_eq!(error["kind"], "offline");
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

/// The command names of `Commands` in the UI contract.
fn contract_commands() -> Vec<String> {
    contract_arguments()
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

#[test]
fn the_contract_commands_are_the_registered_and_permitted_ones() {
    let contract = contract_commands();
    assert!(
        contract.iter().any(|c| c == "import_archive"),
        "{contract:?}"
    );
    let mut registered: Vec<String> = COMMANDS.iter().map(|c| (*c).to_owned()).collect();
    let mut expected = contract.clone();
    registered.sort();
    expected.sort();
    assert_eq!(registered, expected);
    // The capability the app is built with, as build.rs wrote it.
    let capability: Value = serde_json::from_str(include_str!(concat!(
        env!("OUT_DIR"),
        "/capabilities/main.json"
    )))
    .unwrap();
    let granted = capability["permissions"].as_array().unwrap();
    let mut permitted: Vec<Value> = contract
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

/// Each `#[tauri::command]` of a source file: its name and parameter list.
fn command_parameters(source: &str) -> Vec<(String, String)> {
    source
        .split("#[tauri::command]")
        .skip(1)
        .map(|item| {
            let signature = item.split_once("fn ").unwrap().1;
            let name = signature.split(['(', '<']).next().unwrap().trim();
            let parameters = signature
                .split_once('(')
                .unwrap()
                .1
                .split_once(") ->")
                .unwrap()
                .0;
            (name.to_owned(), parameters.to_owned())
        })
        .collect()
}

/// Why a parameter list could carry a file system path, if it could.
fn path_like(parameters: &str) -> Option<String> {
    const PATH_TYPES: [&str; 5] = ["PathBuf", "Path", "OsString", "OsStr", "Url"];
    // Every type a command may take from the webview, none of them a path
    // or holding one (the request types are checked below). A new type
    // must be added here, knowingly.
    const KNOWN: [&str; 25] = [
        "State",
        "DeskState",
        "String",
        "u64",
        "u32",
        "bool",
        "Option",
        "Channel",
        "ProgressView",
        "WebviewWindow",
        "R",
        "Runtime",
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
        "i64",
        "AcceptInvitationRequest",
        "_",
    ];
    for parameter in split_outside_angles(parameters) {
        let Some((name, ty)) = parameter.split_once(':') else {
            return Some(format!("unparsed parameter `{parameter}`"));
        };
        let name = name.trim().to_lowercase();
        if name.contains("path") || name.ends_with("dir") {
            return Some(format!("parameter `{name}`"));
        }
        for word in ty.split(|c: char| !c.is_alphanumeric() && c != '_') {
            if word.is_empty() || word == "'_" {
                continue;
            }
            if PATH_TYPES.contains(&word) {
                return Some(format!("type {word} in `{parameter}`"));
            }
            if !KNOWN.contains(&word) {
                return Some(format!("unreviewed type {word} in `{parameter}`"));
            }
        }
    }
    None
}

/// The source files of the commands.
const COMMAND_SOURCES: [&str; 5] = [
    include_str!("commands/session.rs"),
    include_str!("commands/channel.rs"),
    include_str!("commands/archive.rs"),
    include_str!("commands/files.rs"),
    include_str!("commands/trust.rs"),
];

#[test]
fn no_command_takes_a_file_path_from_the_webview() {
    let sources = COMMAND_SOURCES;
    let commands: Vec<(String, String)> =
        sources.iter().flat_map(|s| command_parameters(s)).collect();
    let mut names: Vec<&str> = commands.iter().map(|(name, _)| name.as_str()).collect();
    let mut registered = COMMANDS.to_vec();
    names.sort_unstable();
    registered.sort_unstable();
    assert_eq!(names, registered, "every registered command was read");
    for (name, parameters) in &commands {
        assert_eq!(path_like(parameters), None, "{name}({parameters})");
    }
    // The request bodies the webview sends carry tokens, never paths.
    let requests = include_str!("../../crates/liaison-desk/src/requests.rs");
    for word in requests.split(|c: char| !c.is_alphanumeric() && c != '_') {
        assert!(
            !["PathBuf", "Path", "OsString", "OsStr"].contains(&word) && !word.ends_with("_path"),
            "requests.rs mentions {word}"
        );
    }
    // The check itself sees a path.
    let before = command_parameters(
        "#[tauri::command]\nasync fn read(state: State<'_, DeskState>, path: std::path::PathBuf) -> Result<(), AppError>",
    );
    assert_eq!(before[0].0, "read");
    assert!(path_like(&before[0].1).is_some());
    assert!(path_like("file: Location").is_some());
    assert!(path_like("certificate: PathBuf").is_some());
}

/// A parameter list split at the commas outside `<…>`
/// (`State<'_, DeskState>` is one parameter), trimmed, empty ones dropped.
fn split_outside_angles(parameters: &str) -> Vec<&str> {
    let mut split = Vec::new();
    let (mut depth, mut start) = (0_i32, 0);
    for (at, c) in parameters.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                split.push(&parameters[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    split.push(&parameters[start..]);
    split
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The parameters of a list as (name, type).
fn split_parameters(parameters: &str) -> Vec<(String, String)> {
    split_outside_angles(parameters)
        .into_iter()
        .filter_map(|parameter| parameter.split_once(':'))
        .map(|(name, ty)| (name.trim().to_owned(), ty.trim().to_owned()))
        .collect()
}

/// Each `#[tauri::command]` of a source file: its name and result type.
fn command_results(source: &str) -> Vec<(String, String)> {
    source
        .split("#[tauri::command]")
        .skip(1)
        .map(|item| {
            let signature = item.split_once("fn ").unwrap().1;
            let name = signature.split(['(', '<']).next().unwrap().trim();
            let result = signature.split_once(") ->").unwrap().1;
            let result = result.split_once('{').unwrap().0.trim();
            (name.to_owned(), result.to_owned())
        })
        .collect()
}

/// The types of a command's parameters and result that the generated
/// contract does not declare. The shell's own types (state, window,
/// channel), std types and primitives are not the window's to declare.
fn undeclared(parameters: &str, result: &str, contract: &str) -> Vec<String> {
    const NOT_CONTRACT: [&str; 15] = [
        "State",
        "DeskState",
        "WebviewWindow",
        "R",
        "Runtime",
        "Channel",
        "Result",
        "Option",
        "Vec",
        "String",
        "u64",
        "u32",
        "i64",
        "bool",
        "_",
    ];
    let types = split_parameters(parameters)
        .into_iter()
        .map(|(_, ty)| ty)
        .chain([result.to_owned()])
        .collect::<Vec<_>>()
        .join(" ");
    types
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|word| !word.is_empty() && !NOT_CONTRACT.contains(word))
        .filter(|word| !contract.contains(&format!("export type {word} = ")))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_type_a_command_takes_or_returns_is_in_the_generated_contract() {
    let contract = include_str!("../../ui/src/lib/api/generated/contract.ts");
    let mut checked = 0;
    for source in COMMAND_SOURCES {
        let parameters = command_parameters(source);
        let results = command_results(source);
        for ((name, parameters), (_, result)) in parameters.iter().zip(&results) {
            assert_eq!(undeclared(parameters, result, contract), [""; 0], "{name}");
            checked += 1;
        }
    }
    assert_eq!(checked, COMMANDS.len());
    // The check itself sees a type the contract lacks.
    assert_eq!(
        undeclared(
            "state: State<'_, DeskState>, query: SearchRequest",
            "Result<Vec<NewView>, AppError>",
            contract
        ),
        ["NewView"]
    );
}

/// The arguments of each entry of `Commands` in types.ts: (key, optional).
fn contract_arguments() -> Vec<(String, Vec<(String, bool)>)> {
    let types = include_str!("../../ui/src/lib/api/types.ts");
    let block = types
        .split("export interface Commands {")
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .unwrap();
    block
        .lines()
        .filter_map(|line| line.trim().split_once(": ["))
        .map(|(name, rest)| {
            let arguments = match rest.strip_prefix('{') {
                Some(object) => object.split_once('}').unwrap().0,
                None => "",
            };
            let keys = arguments
                .split(';')
                .filter_map(|argument| argument.split_once(':'))
                .map(|(key, _)| {
                    let key = key.trim();
                    match key.strip_suffix('?') {
                        Some(key) => (key.to_owned(), true),
                        None => (key.to_owned(), false),
                    }
                })
                .collect();
            (name.to_owned(), keys)
        })
        .collect()
}

/// The arguments a command reads from the window, as the window names
/// them (camelCase), with whether each may be left out (`Option`).
fn shell_arguments(parameters: &str) -> Vec<(String, bool)> {
    split_parameters(parameters)
        .into_iter()
        .filter(|(_, ty)| !ty.starts_with("State<") && !ty.starts_with("WebviewWindow<"))
        .map(|(name, ty)| {
            let mut camel = String::new();
            let mut upper = false;
            for c in name.chars() {
                match c {
                    '_' => upper = true,
                    c if upper => {
                        camel.extend(c.to_uppercase());
                        upper = false;
                    }
                    c => camel.push(c),
                }
            }
            (camel, ty.starts_with("Option<"))
        })
        .collect()
}

#[test]
fn each_contract_command_takes_the_arguments_its_command_reads() {
    let contract = contract_arguments();
    let shell: Vec<(String, String)> = COMMAND_SOURCES
        .iter()
        .flat_map(|source| command_parameters(source))
        .collect();
    assert_eq!(contract.len(), shell.len());
    for (name, parameters) in &shell {
        let (_, expected) = contract.iter().find(|(n, _)| n == name).unwrap();
        let mut expected = expected.clone();
        let mut read = shell_arguments(parameters);
        expected.sort();
        read.sort();
        assert_eq!(read, expected, "{name}");
    }
    // The check itself reads names, case and optionality.
    assert_eq!(
        shell_arguments("state: State<'_, DeskState>, up_to_index: u64, authority: Option<String>"),
        [
            ("upToIndex".to_owned(), false),
            ("authority".to_owned(), true)
        ]
    );
    let add_member = &contract.iter().find(|(n, _)| n == "add_member").unwrap().1;
    assert!(add_member.contains(&("authority".to_owned(), true)));
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
