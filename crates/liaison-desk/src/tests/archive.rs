//! Search, archiving, retention and archive files through the desk, on
//! real SQLCipher stores, offline (messages wait in the outbox, which is
//! enough: they are stored, indexed, signed and exportable).

use std::time::{Duration, SystemTime};

use super::harness::{TestDesk, cell_policy, exercise_request, grant, nation, test_desk};
use crate::views::{ChannelOrigin, PrecedenceView, VerificationState};
use crate::{
    ErrorKind, ExportArchiveRequest, ExportProtection, FilePurpose, FileToken,
    ImportArchiveRequest, SearchRequest, SendRequest,
};
use liaison_core::{Authority, ChannelId, HistoryOnRemoval};

const MARKING: &str = "NATO RESTRICTED//REL TO DEU, FRA, GBR";

fn send(channel: &ChannelId, body: &str) -> SendRequest {
    SendRequest {
        channel_id: channel.to_hex(),
        body: body.into(),
        marking: MARKING.into(),
        // FLASH: the imported copy must not ask the importer to acknowledge.
        precedence: PrecedenceView::Flash,
        exercise: false,
        reply_to: None,
    }
}

fn search(text: &str) -> SearchRequest {
    SearchRequest {
        text: text.into(),
        limit: 50,
        ..SearchRequest::default()
    }
}

/// A desk with a profile and one channel holding `bodies`, oldest first.
async fn desk_with(
    gbr: &Authority,
    officer: &str,
    retention_days: Option<u32>,
    bodies: &[&str],
) -> (TestDesk, ChannelId) {
    let t = test_desk(Some(gbr), None);
    t.desk
        .create_exercise_profile(exercise_request(officer, "pw"))
        .await
        .unwrap();
    let policy =
        cell_policy(&[officer], &[gbr]).with_retention(retention_days, HistoryOnRemoval::Keep);
    let channel = t
        .desk
        .shared()
        .await
        .unwrap()
        .engine()
        .await
        .create_channel(policy)
        .unwrap();
    for body in bodies {
        t.desk.send_message(send(&channel, body)).await.unwrap();
    }
    (t, channel)
}

#[tokio::test]
async fn search_finds_messages_as_the_thread_shows_them() {
    let (t, channel) = desk_with(
        &nation("GBR"),
        "gbr.desk",
        None,
        &["convoy at the checkpoint", "weather"],
    )
    .await;
    let results = t.desk.search(&search("CHECKPOINT")).await.unwrap();
    assert_eq!(results.hits.len(), 1);
    let hit = &results.hits[0];
    assert_eq!(hit.channel_id, channel.to_hex());
    assert_eq!(hit.channel_name, "GBR-FRA-DEU border cell");
    assert_eq!(hit.message.body, "convoy at the checkpoint");
    assert_eq!(hit.message.index, 0);
    assert_eq!(hit.message.verification, VerificationState::Own);
    assert_eq!(hit.message.label.portion, "(NR//REL TO DEU, FRA, GBR)");
    assert!(
        hit.snippet.contains("\u{2}checkpoint\u{3}"),
        "{}",
        hit.snippet
    );
    assert_eq!(
        results.highest.as_ref().map(|l| l.marking.as_str()),
        Some(MARKING)
    );
    // Filters: another classification finds nothing, a prefix finds it.
    let mut secret = search("checkpoint");
    secret.classification = Some("NATO SECRET".into());
    assert!(t.desk.search(&secret).await.unwrap().hits.is_empty());
    assert_eq!(t.desk.search(&search("conv*")).await.unwrap().hits.len(), 1);
    let mut later = search("checkpoint");
    later.from_ms = Some(u64::MAX / 2);
    assert!(t.desk.search(&later).await.unwrap().hits.is_empty());
}

#[tokio::test]
async fn bad_searches_name_the_field() {
    let (t, _) = desk_with(&nation("GBR"), "gbr.desk", None, &["hello"]).await;
    for (request, field) in [
        (search(""), "text"),
        (search("*** !!"), "text"),
        (
            SearchRequest {
                classification: Some("COSMIC PURPLE".into()),
                ..search("hello")
            },
            "classification",
        ),
        (
            SearchRequest {
                from_ms: Some(10),
                to_ms: Some(5),
                ..search("hello")
            },
            "toMs",
        ),
        (
            SearchRequest {
                limit: 0,
                ..search("hello")
            },
            "limit",
        ),
        (
            SearchRequest {
                channel_id: Some("zz".into()),
                ..search("hello")
            },
            "channelId",
        ),
    ] {
        let error = t.desk.search(&request).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{request:?}");
        assert_eq!(error.to_app_error().field.as_deref(), Some(field));
    }
}

#[tokio::test]
async fn an_archived_channel_refuses_sends_and_stays_searchable() {
    let (t, channel) = desk_with(&nation("GBR"), "gbr.desk", None, &["kept for the record"]).await;
    t.desk.archive_channel(&channel.to_hex()).await.unwrap();
    t.desk.archive_channel(&channel.to_hex()).await.unwrap();
    let listed = t.desk.list_channels().await.unwrap();
    assert!(listed[0].archived);
    assert_eq!(listed[0].origin, ChannelOrigin::Live);
    let refused = t
        .desk
        .send_message(send(&channel, "more"))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden);
    let options = t.desk.composer_options(&channel.to_hex()).await.unwrap();
    assert!(!options.can_send);
    assert_eq!(
        t.desk.search(&search("record")).await.unwrap().hits.len(),
        1
    );
    assert!(t.events.names().contains(&"channels"));
}

#[tokio::test]
async fn retention_renumbers_the_thread_and_its_read_marker() {
    let bodies = ["old one", "old two", "new three", "new four", "new five"];
    let (t, channel) = desk_with(&nation("GBR"), "gbr.desk", Some(30), &bodies).await;
    let id = channel.to_hex();
    t.desk.mark_read(&id, 3).await.unwrap();
    let shared = t.desk.shared().await.unwrap();
    let long_ago = SystemTime::now() - Duration::from_secs(90 * 86_400);
    let long_ago_ms = long_ago
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    shared
        .engine()
        .await
        .store()
        .connection()
        .execute(
            "UPDATE messages SET received_at_ms = ?1 WHERE body LIKE 'old%'",
            [i64::try_from(long_ago_ms).unwrap()],
        )
        .unwrap();
    crate::retention::enforce(&shared, SystemTime::now())
        .await
        .unwrap();
    let page = t.desk.thread_page(&id, 0, 10).await.unwrap();
    assert_eq!(page.total, 3);
    let seen: Vec<(u64, &str)> = page
        .messages
        .iter()
        .map(|m| (m.index, m.body.as_str()))
        .collect();
    assert_eq!(seen, [(0, "new three"), (1, "new four"), (2, "new five")]);
    // The marker still covers "new four" (was index 3, now 1).
    let marker: i64 = shared
        .engine()
        .await
        .store()
        .connection()
        .query_row("SELECT read_up_to FROM read_markers", [], |row| row.get(0))
        .unwrap();
    assert_eq!(marker, 1);
    assert!(t.desk.search(&search("old")).await.unwrap().hits.is_empty());
    // The thread grows on from the new end.
    let next = t.desk.send_message(send(&channel, "six")).await.unwrap();
    assert_eq!(next.index, 3);
    // Nothing more to delete: positions unchanged.
    crate::retention::enforce(&shared, SystemTime::now())
        .await
        .unwrap();
    let page = t.desk.thread_page(&id, 3, 1).await.unwrap();
    assert_eq!(page.messages[0].body, "six");
}

#[tokio::test]
async fn export_contents_name_the_highest_marking_and_the_exercise_traffic() {
    let (t, channel) = desk_with(&nation("GBR"), "gbr.desk", None, &["one", "two"]).await;
    let id = channel.to_hex();
    let before = t.desk.export_contents(&id, None, None).await.unwrap();
    assert_eq!((before.messages, before.exercise), (2, 0));
    assert_eq!(before.highest.map(|l| l.marking), Some(MARKING.to_owned()));
    let drill = SendRequest {
        marking: "NATO CONFIDENTIAL//REL TO DEU, FRA, GBR".into(),
        exercise: true,
        ..send(&channel, "drill")
    };
    t.desk.send_message(drill).await.unwrap();
    let all = t.desk.export_contents(&id, None, None).await.unwrap();
    assert_eq!((all.messages, all.exercise), (3, 1));
    assert_eq!(
        all.highest.map(|l| l.marking),
        Some("NATO CONFIDENTIAL//REL TO DEU, FRA, GBR".to_owned())
    );
    let none = t.desk.export_contents(&id, Some(0), Some(1)).await.unwrap();
    assert_eq!((none.messages, none.highest), (0, None));
    let unknown = t
        .desk
        .export_contents(&"00".repeat(32), None, None)
        .await
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn an_exported_channel_imports_archived_verified_and_paged() {
    // One authority for both officers: the importer knows the exporter's.
    let gbr = nation("GBR");
    let (a, channel) = desk_with(
        &gbr,
        "gbr.desk",
        None,
        &["alpha checkpoint", "bravo", "charlie"],
    )
    .await;
    let path = a.home.path().join("cell.liaison-archive");
    let export = |file: FileToken| ExportArchiveRequest {
        channel_id: channel.to_hex(),
        from_ms: None,
        to_ms: None,
        file,
        protection: ExportProtection::Passphrase {
            passphrase: "archive pw".into(),
        },
    };
    // A file chosen to be read is never written to.
    let read_only = grant(&a.desk, FilePurpose::OpenCertificate, &path);
    let refused = a
        .desk
        .export_archive(export(read_only), |_| {})
        .await
        .unwrap_err();
    assert_eq!(refused.to_app_error().field.as_deref(), Some("file"));
    assert!(refused.to_string().contains("not to save"), "{refused}");
    assert!(!path.exists());
    let target = grant(&a.desk, FilePurpose::SaveArchive, &path);
    let mut steps = Vec::new();
    let report = a
        .desk
        .export_archive(export(target.clone()), |p| steps.push(p))
        .await
        .unwrap();
    assert_eq!(report.messages, 3);
    assert_eq!(report.contents.messages, 3);
    assert_eq!(
        report.contents.highest.as_ref().map(|l| l.marking.as_str()),
        Some(MARKING)
    );
    assert_eq!(report.bytes, std::fs::metadata(&path).unwrap().len());
    assert_eq!(steps.last().map(|p| (p.done, p.total)), Some((3, 3)));
    // The save dialog's answer wrote one file; it writes no other.
    let reused = a
        .desk
        .export_archive(export(target), |_| {})
        .await
        .unwrap_err();
    assert_eq!(reused.kind(), ErrorKind::InvalidInput);
    assert!(reused.to_string().contains("choose it again"), "{reused}");

    let (b, _) = desk_with(&gbr, "gbr.other", None, &[]).await;
    let import = |passphrase: &str, file: &FileToken| ImportArchiveRequest {
        file: file.clone(),
        passphrase: Some(passphrase.into()),
    };
    let source = grant(&b.desk, FilePurpose::OpenArchive, &path);
    let wrong = b
        .desk
        .import_archive(import("not it", &source), |_| {})
        .await
        .unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::WrongPassphrase);
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    let damaged = b.home.path().join("damaged.liaison-archive");
    std::fs::write(&damaged, &bytes).unwrap();
    let tampered = b
        .desk
        .import_archive(
            import(
                "archive pw",
                &grant(&b.desk, FilePurpose::OpenArchive, &damaged),
            ),
            |_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(tampered.kind(), ErrorKind::InvalidInput);
    assert!(
        tampered.to_string().contains("altered or damaged"),
        "{tampered}"
    );
    // The window says it in the officer's language from its code.
    assert_eq!(tampered.code(), Some("archiveUntrusted"));
    assert_eq!(tampered.to_app_error().field.as_deref(), Some("file"));

    // The wrong passphrase left the token usable: no second dialog.
    let imported = b
        .desk
        .import_archive(import("archive pw", &source), |_| {})
        .await
        .unwrap();
    let reused = b
        .desk
        .import_archive(import("archive pw", &source), |_| {})
        .await
        .unwrap_err();
    assert_eq!(reused.to_app_error().field.as_deref(), Some("file"));
    assert_eq!(
        (imported.messages, imported.verified, imported.tampered),
        (3, 3, 0)
    );
    let listed = b.desk.list_channels().await.unwrap();
    let copy = listed.iter().find(|c| c.id == imported.channel_id).unwrap();
    assert_eq!(copy.origin, ChannelOrigin::Imported);
    assert!(copy.archived && !copy.active);
    assert_eq!((copy.awaiting_ack, copy.awaiting_precedence), (0, None));
    let page = b
        .desk
        .thread_page(&imported.channel_id, 0, 10)
        .await
        .unwrap();
    let seen: Vec<(u64, &str)> = page
        .messages
        .iter()
        .map(|m| (m.index, m.body.as_str()))
        .collect();
    assert_eq!(
        seen,
        [(0, "alpha checkpoint"), (1, "bravo"), (2, "charlie")]
    );
    assert!(
        page.messages
            .iter()
            .all(|m| m.verification == VerificationState::Verified && !m.mine)
    );
    let hits = b.desk.search(&search("checkpoint")).await.unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].channel_id, imported.channel_id);
    let refused = b
        .desk
        .send_message(send(
            &crate::parse_channel(&imported.channel_id).unwrap(),
            "x",
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden);
    let again = b
        .desk
        .import_archive(
            import(
                "archive pw",
                &grant(&b.desk, FilePurpose::OpenArchive, &path),
            ),
            |_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::InvalidInput);
    assert_eq!(again.code(), Some("alreadyImported"));

    // The view shows the state the store records, whatever it is.
    let shared = b.desk.shared().await.unwrap();
    shared
        .engine()
        .await
        .store()
        .connection()
        .execute(
            "UPDATE messages SET verification = 'tampered' WHERE body = 'bravo'",
            [],
        )
        .unwrap();
    let page = b
        .desk
        .thread_page(&imported.channel_id, 1, 1)
        .await
        .unwrap();
    assert_eq!(page.messages[0].verification, VerificationState::Tampered);
}
