#![allow(clippy::unwrap_used)]

use liaison_core::test_support::label;

use super::*;
use crate::error::CliError;

fn text<R: Render>(view: &R) -> String {
    let mut out = Vec::new();
    view.text(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn message(exercise: bool, body: &str) -> MessageView {
    MessageView {
        id: "0123456789abcdef0123456789abcdef".into(),
        seq: Some(3),
        sender_id: "gbr.smith".into(),
        sender_name: "Maj. J. Smith".into(),
        sender_nation: "GBR".into(),
        own: false,
        label: "NATO SECRET//REL TO FRA, GBR".into(),
        portion_marking: "(NS//REL TO FRA, GBR)".into(),
        colour: "#C8102E".into(),
        precedence: "FLASH".into(),
        kind: if exercise { "EXERCISE" } else { "OPERATION" }.into(),
        exercise,
        body: body.into(),
        reference: None,
        sent_at: "2025-11-26T08:40:12Z".into(),
        received_at: "2025-11-26T08:40:13Z".into(),
        acknowledged_by: vec![AckView {
            officer_id: "fra.martin".into(),
            at: "2025-11-26T08:41:00Z".into(),
        }],
        awaiting_your_ack: true,
        verification: "verified".into(),
        context_signed: true,
    }
}

#[test]
fn control_characters_and_bidi_overrides_never_reach_the_terminal() {
    assert_eq!(sanitize("a\u{1b}[31mb\nc\td"), "a\u{FFFD}[31mb\nc\td");
    assert_eq!(sanitize("x\u{202E}y\u{2066}z"), "x\u{FFFD}y\u{FFFD}z");
    assert_eq!(sanitize_line("one\ntwo\tthree"), "one two three");
}

#[test]
fn a_message_shows_its_portion_marking_precedence_sender_and_acks() {
    let shown = text(&MessagesView {
        channel: ChannelRefView {
            id: "ab".into(),
            name: "cell".into(),
        },
        banner: "NATO SECRET//REL TO FRA, GBR".into(),
        messages: vec![message(false, "K7 closed\u{1b}]0;owned\u{7}")],
        fork: None,
        gaps: Vec::new(),
    });
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"==== NATO SECRET//REL TO FRA, GBR ====")
    );
    assert_eq!(
        lines.last(),
        Some(&"==== NATO SECRET//REL TO FRA, GBR ====")
    );
    // The end of the id: its start is the sender's stream, the same for a whole session.
    assert!(shown.contains("89abcdef  (NS//REL TO FRA, GBR)  FLASH  2025-11-26T08:40:12Z"));
    assert!(shown.contains("from gbr.smith (Maj. J. Smith, GBR)"));
    assert!(shown.contains("acknowledged by fra.martin"));
    assert!(shown.contains("FLASH awaits your acknowledgement"));
    assert!(!shown.contains('\u{1b}'));
    assert!(!shown.contains("EXERCISE"));
    assert!(!shown.contains("older format"));
    assert!(!shown.contains("pending"));
}

#[test]
fn an_older_format_message_and_a_pending_own_message_are_said_so() {
    let older = MessageView {
        context_signed: false,
        ..message(false, "from an old archive")
    };
    let pending = MessageView {
        seq: None,
        own: true,
        ..message(false, "not yet ordered")
    };
    let shown = text(&MessagesView {
        channel: ChannelRefView {
            id: "ab".into(),
            name: "cell".into(),
        },
        banner: "NATO SECRET//REL TO FRA, GBR".into(),
        messages: vec![older, pending],
        fork: None,
        gaps: Vec::new(),
    });
    assert_eq!(shown.matches("older format").count(), 1);
    assert_eq!(
        shown
            .matches("pending: not yet ordered by the relay")
            .count(),
        1
    );
}

#[test]
fn exercise_traffic_is_framed_above_and_below_its_text() {
    let mut out = Vec::new();
    message(true, "line one\nline two").write(&mut out).unwrap();
    let shown = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = shown.lines().map(str::trim).collect();
    let first = lines
        .iter()
        .position(|l| *l == "*** EXERCISE EXERCISE EXERCISE ***")
        .unwrap();
    assert_eq!(lines.get(first + 1), Some(&"line one"));
    assert_eq!(lines.get(first + 2), Some(&"line two"));
    assert_eq!(
        lines.get(first + 3),
        Some(&"*** EXERCISE EXERCISE EXERCISE ***")
    );
}

#[test]
fn the_banner_is_the_label_dominating_all_else_the_ceiling() {
    let ceiling = label("NATO SECRET//REL TO DEU, FRA, GBR");
    let secret = label("NATO SECRET//REL TO DEU, FRA, GBR");
    let restricted = label("NATO RESTRICTED//REL TO DEU, FRA, GBR");
    assert_eq!(
        banner(&[&restricted, &secret], &ceiling),
        "NATO SECRET//REL TO DEU, FRA, GBR"
    );
    assert_eq!(
        banner(&[&restricted], &ceiling),
        "NATO RESTRICTED//REL TO DEU, FRA, GBR"
    );
    // Neither dominates the other: the ceiling covers both.
    let narrow = label("NATO RESTRICTED//REL TO FRA, GBR");
    let wide_secret = label("NATO CONFIDENTIAL//REL TO DEU, FRA, GBR");
    assert_eq!(
        banner(&[&narrow, &wide_secret], &ceiling),
        ceiling.marking()
    );
    assert_eq!(banner(&[], &ceiling), ceiling.marking());
}

#[test]
fn json_output_is_one_line_with_documented_fields() {
    let mut out = Vec::new();
    let view = MessagesView {
        channel: ChannelRefView {
            id: "ab".into(),
            name: "cell".into(),
        },
        banner: "NATO SECRET//REL TO FRA, GBR".into(),
        messages: vec![message(false, "x")],
        fork: None,
        gaps: Vec::new(),
    };
    let status = emit(&view, true, &mut out).unwrap();
    assert_eq!(status, ExitStatus::Ok);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["banner"], "NATO SECRET//REL TO FRA, GBR");
    assert_eq!(value["channel"]["name"], "cell");
    let value = &value["messages"][0];
    for field in [
        "id",
        "seq",
        "sender_id",
        "sender_nation",
        "label",
        "portion_marking",
        "precedence",
        "kind",
        "exercise",
        "body",
        "acknowledged_by",
        "awaiting_your_ack",
        "verification",
    ] {
        assert!(value.get(field).is_some(), "missing {field}");
    }
}

#[test]
fn listen_events_are_tagged_json_lines() {
    let event = ListenEvent::Stopped {
        messages: 2,
        reason: "count".into(),
    };
    let value = serde_json::to_value(&event).unwrap();
    assert_eq!(value["event"], "stopped");
    assert_eq!(value["messages"], 2);
}

#[test]
fn errors_become_a_json_object_with_kind_and_exit_code() {
    let error = CliError::PassphraseRequired;
    let value: serde_json::Value = serde_json::from_str(&error_json(&error)).unwrap();
    assert_eq!(value["error"]["kind"], "locked");
    assert_eq!(value["error"]["exit_code"], 3);
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("passphrase")
    );
}

fn summary() -> PolicySummary {
    PolicySummary {
        ceiling: "NATO SECRET//REL TO DEU, FRA, GBR".into(),
        default_label: "NATO RESTRICTED//REL TO DEU, FRA, GBR".into(),
        admins: vec!["gbr.smith".into()],
        anchors: vec![],
        intermediates: 0,
        crls: 0,
        retention_days: None,
        history_on_removal: "keep".into(),
    }
}

#[test]
fn an_unconfirmed_tightening_lists_whom_it_removes_and_exits_6() {
    let mut after = summary();
    after.ceiling = "NATO SECRET//REL TO FRA, GBR".into();
    let view = PolicyChangeView {
        channel: ChannelRefView {
            id: "ab".into(),
            name: "cell".into(),
        },
        before: summary(),
        after,
        removes: vec![MemberView {
            officer_id: "deu.weber".into(),
            display_name: "Maj. A. Weber".into(),
            organisation: "Bundeswehr".into(),
            nationality: "DEU".into(),
            admin: false,
            leaf_index: 2,
        }],
        applied: false,
        needs_confirmation: true,
        epoch: None,
    };
    assert_eq!(view.status(), ExitStatus::NotConfirmed);
    assert_eq!(view.status().code(), 6);
    let shown = text(&view);
    assert!(shown.contains("NATO SECRET//REL TO DEU, FRA, GBR  ->  NATO SECRET//REL TO FRA, GBR"));
    assert!(shown.contains("deu.weber"));
    assert!(shown.contains("--yes"));
}

#[test]
fn a_relay_that_cannot_be_reached_leaves_the_result_queued_with_exit_4() {
    let queued = DeliveryView::unreachable("connection refused".into());
    assert_eq!(queued.status(), ExitStatus::RelayUnreachable);
    assert!(queued.note().contains("connection refused"));
    assert_eq!(DeliveryView::offline().status(), ExitStatus::Ok);
    assert_eq!(DeliveryView::delivered().status(), ExitStatus::Ok);
}

#[test]
fn exit_codes_follow_the_documented_table() {
    use liaison_core::{DeliveryError, EngineError, StoreError};
    let cases: Vec<(CliError, u8)> = vec![
        (CliError::Usage("x".into()), 1),
        (CliError::UnknownChannel("x".into()), 1),
        (EngineError::ReadOnly.into(), 2),
        (DeliveryError::Refused("size".into()).into(), 2),
        (StoreError::WrongKey.into(), 3),
        (
            EngineError::Store(StoreError::KeyringUnavailable { detail: "d".into() }).into(),
            3,
        ),
        (CliError::PassphraseRequired, 3),
        (CliError::RelayUnavailable("x".into()), 4),
        (DeliveryError::Unavailable("x".into()).into(), 4),
        (EngineError::CommitPending.into(), 5),
    ];
    for (error, code) in cases {
        assert_eq!(error.status().code(), code, "{error}");
    }
}

#[test]
fn a_fork_and_the_gap_it_left_are_shown_above_the_messages() {
    let channel = ChannelRefView {
        id: "ab".into(),
        name: "cell\u{1b}[2J".into(),
    };
    let gap = liaison_core::Gap {
        fork_epoch: 4,
        rejoined_epoch: 6,
        detected_seq: 20,
        detected_at_ms: 1_800_000_000_000,
        rejoined_at_ms: 1_800_000_060_000,
    };
    let view = MessagesView {
        channel: channel.clone(),
        banner: "NATO SECRET//REL TO FRA, GBR".into(),
        messages: vec![message(false, "after the gap")],
        fork: Some(ForkView {
            channel: channel.clone(),
            epoch: 7,
            requested: true,
        }),
        gaps: vec![GapView::new(channel, &gap)],
    };
    let shown = text(&view);
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[2].starts_with("!! cell"), "{shown}");
    assert!(lines[2].contains("forked at epoch 7"), "{shown}");
    assert!(lines[2].contains("were asked to add you back"), "{shown}");
    assert!(lines[3].starts_with("-- gap: cell"), "{shown}");
    assert!(
        lines[3].contains("forked at epoch 4 (2027-01-15T08:00:00Z)"),
        "{shown}"
    );
    assert!(lines[3].contains("added back at epoch 6"), "{shown}");
    assert!(
        !shown.contains('\u{1b}'),
        "control characters reach the terminal"
    );
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["gaps"][0]["fork_epoch"], 4);
    assert_eq!(json["fork"]["requested"], true);
}

#[test]
fn a_channel_list_says_which_channels_were_left_and_which_removed_from() {
    let channel = |name: &str, active: bool, departure: Option<&str>| ChannelSummaryView {
        id: "ab".repeat(16),
        name: name.to_owned(),
        active,
        archived: false,
        origin: "live".to_owned(),
        departure: departure.map(str::to_owned),
    };
    let list = ChannelListView {
        channels: vec![
            channel("cell", true, None),
            channel("old cell", false, Some("left")),
            channel("pulled", false, Some("removed")),
            channel("before 0010", false, None),
        ],
    };
    let lines: Vec<String> = text(&list).lines().map(str::to_owned).collect();
    assert!(
        lines[0].contains(" active ") && lines[0].ends_with("cell"),
        "{lines:?}"
    );
    assert!(
        lines[1].contains(" left ") && lines[1].ends_with("old cell"),
        "{lines:?}"
    );
    assert!(
        lines[2].contains(" removed ") && lines[2].ends_with("pulled"),
        "{lines:?}"
    );
    assert!(lines[3].contains(" left "), "{lines:?}");
}
