//! The window contract in TypeScript, generated from the Rust types.
//!
//! `ui/src/lib/api/generated/contract.ts` declares every type that crosses
//! the window boundary — the commands' arguments and results, the error,
//! the events' payloads — as ts-rs renders it from the derives in this
//! crate (serde's renames, tags and skipped fields included), and
//! `ui/src/lib/api/types.ts` re-exports them under the names the UI uses.
//! The test below fails when the committed file is not what the Rust types
//! give; `cargo xtask contract` rewrites it (it runs the same test with
//! `LIAISON_WRITE_CONTRACT=1`).
//!
//! Two choices are made here, for every type alike, so that the TypeScript
//! says what the JSON is:
//! - 64-bit integers are `number`, not ts-rs's default `bigint`:
//!   `JSON.parse` gives the window a number, and every such value (a count,
//!   an index, Unix milliseconds, an invitation id) is far below 2^53.
//! - an `Option` field is optional (`field?: T`), never `T | null`: each
//!   one is marked `#[ts(optional)]` beside its
//!   `skip_serializing_if = "Option::is_none"`, so Rust leaves it out
//!   rather than sending `null`. The test refuses a `null` in the output,
//!   which an `Option` field without that pair would bring.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS, TypeVisitor};

use crate::events::{AcksEvent, DeskEvent, MessagesEvent};
use crate::views::{
    AnchorNoticeView, AppStatus, AuditView, AuthorityFileView, CandidateView, ChannelView,
    ComposerOptions, ConnectionState, ExportContentsView, ExportReportView, FileChoice,
    ImportReportView, InvitationView, LabelPolicyView, MemberView, MessageView, NewChannelForm,
    OfficerView, PinnedAuthorityView, PolicyPreview, PolicyView, ProfileView, ProgressView,
    SearchResultsView, ThreadPage,
};
use crate::{
    AcceptInvitationRequest, AppError, AuditRequest, ExerciseProfileRequest, ExportArchiveRequest,
    FilePurpose, FileToken, ImportArchiveRequest, ImportProfileRequest, NewChannelRequest,
    SearchRequest, SendRequest, Settings,
};

/// Set (to anything) to rewrite the generated file instead of checking it.
const WRITE: &str = "LIAISON_WRITE_CONTRACT";

/// The first lines of the generated file.
const HEADER: &str = "\
// The window contract's types, generated from the Rust types of liaison-desk
// (crates/liaison-desk/src/contract.rs) with ts-rs. Do not edit: change the
// Rust types and run `cargo xtask contract`. `../types.ts` re-exports them
// under the names the UI uses.

";

/// The generated file.
fn generated_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/api/generated/contract.ts")
}

/// The generated file of the events.
fn events_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/api/generated/events.ts")
}

/// Every type declared so far, by TypeScript name, and the Rust types seen.
struct Declarations {
    config: Config,
    seen: HashSet<TypeId>,
    by_name: BTreeMap<String, (&'static str, String)>,
}

impl Declarations {
    /// Declares `T` and, through the visitor, every type it refers to.
    fn add<T: TS + 'static + ?Sized>(&mut self) {
        // Primitives and std containers have no file of their own: they
        // are written inline where they are used.
        if T::output_path().is_none() || !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        let mut text = T::docs().unwrap_or_default();
        text.push_str("export ");
        text.push_str(&T::decl(&self.config));
        let rust = std::any::type_name::<T>();
        if let Some((other, _)) = self.by_name.insert(T::ident(&self.config), (rust, text)) {
            panic!("{rust} and {other} have the same TypeScript name");
        }
        T::visit_dependencies(self);
    }
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.add::<T>();
    }
}

/// The generated file's text: the types below and all they refer to,
/// sorted by name.
fn render() -> String {
    let mut declarations = Declarations {
        config: Config::new().with_large_int("number"),
        seen: HashSet::new(),
        by_name: BTreeMap::new(),
    };
    macro_rules! declare {
        ($($ty:ty),* $(,)?) => { $(declarations.add::<$ty>();)* };
    }
    // What the commands take and return (src-tauri/src/commands/), the
    // error they reject with, and the events' payloads. A src-tauri test
    // checks that every type in a command's signature is declared.
    declare![
        // Errors.
        AppError,
        // Profile, session, settings.
        AppStatus,
        ProfileView,
        ExerciseProfileRequest,
        ImportProfileRequest,
        ConnectionState,
        AuditView,
        AuditRequest,
        Settings,
        // Files.
        FilePurpose,
        FileToken,
        FileChoice,
        // Channels.
        ChannelView,
        ThreadPage,
        ComposerOptions,
        SendRequest,
        MessageView,
        MemberView,
        CandidateView,
        PolicyView,
        PolicyPreview,
        // New channels and the structured label picker.
        LabelPolicyView,
        NewChannelForm,
        OfficerView,
        NewChannelRequest,
        // History.
        SearchRequest,
        SearchResultsView,
        ExportArchiveRequest,
        ExportContentsView,
        ExportReportView,
        ImportArchiveRequest,
        ImportReportView,
        ProgressView,
        // Trust.
        PinnedAuthorityView,
        AuthorityFileView,
        InvitationView,
        AcceptInvitationRequest,
        AnchorNoticeView,
        // Event payloads.
        MessagesEvent,
        AcksEvent,
    ];
    let mut out = String::from(HEADER);
    for (_, text) in declarations.by_name.values() {
        // ts-rs leaves spaces at the ends of lines; the file is kept clean.
        for line in text.lines() {
            let _ = writeln!(out, "{}", line.trim_end());
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The event after `previous` (the first for `None`), so that walking from
/// `None` meets every variant of [`DeskEvent`] once. The match has no
/// wildcard: a new variant does not build until it has its place here,
/// and so in the window's `Events`.
fn next_event(previous: Option<&DeskEvent>) -> Option<DeskEvent> {
    let messages = || DeskEvent::Messages {
        event: MessagesEvent {
            channel_id: String::new(),
            new_count: 0,
            highest_precedence: None,
            reordered_from: None,
        },
        notice: None,
    };
    let acks = || {
        DeskEvent::Acks(AcksEvent {
            channel_id: String::new(),
            message_id: String::new(),
        })
    };
    match previous {
        None => Some(DeskEvent::Connection(ConnectionState::Offline)),
        Some(DeskEvent::Connection(_)) => Some(messages()),
        Some(DeskEvent::Messages { .. }) => Some(DeskEvent::Channels),
        Some(DeskEvent::Channels) => Some(acks()),
        Some(DeskEvent::Acks(_)) => Some(DeskEvent::Invitations),
        Some(DeskEvent::Invitations) => Some(DeskEvent::Locked),
        Some(DeskEvent::Locked) => None,
    }
}

/// What the window receives with an event, in TypeScript, and what the
/// event means.
fn event_payload(event: &DeskEvent, config: &Config) -> (String, &'static str) {
    match event {
        DeskEvent::Connection(_) => (
            ConnectionState::name(config),
            "The relay connection changed.",
        ),
        DeskEvent::Messages { .. } => (
            MessagesEvent::name(config),
            "New messages arrived or were sent in a channel.",
        ),
        DeskEvent::Channels => (
            "null".to_owned(),
            "The channel list changed (joined, removed, policy, unread).",
        ),
        DeskEvent::Acks(_) => (
            AcksEvent::name(config),
            "Acknowledgements changed for a message of the user's.",
        ),
        DeskEvent::Invitations => (
            "null".to_owned(),
            "Invitations changed (one held, accepted or declined).",
        ),
        DeskEvent::Locked => (
            "null".to_owned(),
            "The profile was locked (idle or on demand).",
        ),
    }
}

/// The generated events file: `Events`, event name to payload.
fn render_events() -> String {
    let config = Config::new().with_large_int("number");
    let mut entries = String::new();
    let mut imports = Vec::new();
    let mut event = next_event(None);
    while let Some(current) = event {
        let (payload, doc) = event_payload(&current, &config);
        let _ = writeln!(entries, "  /** {doc} */\n  {}: {payload};", current.name());
        if payload != "null" {
            imports.push(payload);
        }
        event = next_event(Some(&current));
    }
    imports.sort();
    imports.dedup();
    let mut out = String::from(
        "// The events the shell emits, generated from liaison-desk's `DeskEvent`\n\
         // (crates/liaison-desk/src/contract.rs). Do not edit: run\n\
         // `cargo xtask contract`. `../types.ts` re-exports `Events`.\n\n",
    );
    let _ = writeln!(
        out,
        "import type {{ {} }} from './contract';\n",
        imports.join(", ")
    );
    out.push_str("/** Events the shell emits (Tauri `listen(name)`), with their payloads. */\n");
    out.push_str("export interface Events {\n");
    out.push_str(&entries);
    out.push_str("}\n");
    out
}

/// The first line where `committed` and `rendered` differ, for the message.
fn first_difference(committed: &str, rendered: &str) -> String {
    let mut committed_lines = committed.lines();
    let mut rendered_lines = rendered.lines();
    for number in 1.. {
        match (committed_lines.next(), rendered_lines.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => break,
            (a, b) => {
                return format!(
                    "line {number}: the file has {:?}, the Rust types give {:?}",
                    a.unwrap_or("(end of file)"),
                    b.unwrap_or("(end of file)")
                );
            }
        }
    }
    "only line endings differ".to_owned()
}

#[test]
fn the_generated_typescript_is_what_the_rust_types_give() {
    for (path, rendered) in [
        (generated_path(), render()),
        (events_path(), render_events()),
    ] {
        if std::env::var_os(WRITE).is_some() {
            if let Err(error) = std::fs::write(&path, &rendered) {
                panic!("writing {}: {error}", path.display());
            }
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == rendered,
            "{} is stale ({}): run `cargo xtask contract` and commit the result",
            path.display(),
            first_difference(&committed, &rendered)
        );
    }
}

#[test]
fn every_event_is_in_the_generated_events_with_its_payload() {
    let rendered = render_events();
    for expected in [
        "  connection: ConnectionState;",
        "  messages: MessagesEvent;",
        "  channels: null;",
        "  acks: AcksEvent;",
        "  invitations: null;",
        "  locked: null;",
        "import type { AcksEvent, ConnectionState, MessagesEvent } from './contract';",
    ] {
        assert!(
            rendered.contains(expected),
            "{expected:?} missing from\n{rendered}"
        );
    }
    // The payload the window is told of is the one the shell sends.
    let mut event = next_event(None);
    let mut seen = 0;
    while let Some(current) = event {
        let (payload, _) = event_payload(&current, &Config::new());
        assert_eq!(
            payload == "null",
            current.payload().is_null(),
            "{}",
            current.name()
        );
        seen += 1;
        event = next_event(Some(&current));
    }
    assert_eq!(seen, rendered.matches("/** ").count() - 1);
}

#[test]
fn the_contract_sends_no_null_and_no_bigint() {
    let rendered = render();
    // Each declaration once, under the name types.ts re-exports.
    for name in [
        "MessageView",
        "PrecedenceView",
        "ErrorKind",
        "FileToken",
        "LevelTone",
    ] {
        let declaration = format!("export type {name} = ");
        assert_eq!(rendered.matches(&declaration).count(), 1, "{name}");
    }
    assert!(!rendered.contains("null"), "an Option field sent as null");
    assert!(!rendered.contains("bigint"));
    assert!(rendered.contains("lastActivityMs?: number,"));
    // The check itself sees a difference, and where.
    let changed = rendered.replacen("lastActivityMs?: number", "lastActivityMs: number", 1);
    assert!(first_difference(&changed, &rendered).contains("lastActivityMs: number"));
}
