//! Altered archives: flipped bytes, cuts, appended data, forged messages,
//! wrong keys. Nothing is imported from a file that does not authenticate;
//! forged messages inside an authentic file are flagged one by one.

use std::fs;

use liaison_proto::{Envelope, Precedence};
use rusqlite::params;

use super::export_import::{import, passphrase, scene};
use super::fixture::{DEFAULT, identity, label, message_id, nation, now_ms};
use crate::archive::{ArchiveError, ArchiveProtection, ExportRequest, Verification};

fn imported_channels(officer: &super::fixture::Officer) -> usize {
    officer.engine.channels().unwrap().len()
}

#[test]
fn one_flipped_byte_anywhere_fails_the_import_and_writes_nothing() {
    let scene = scene(400);
    let (recipient, mut importer) = scene.importer();
    let path = scene.exporter.dir.path().join("cell.archive");
    scene.export(
        &path,
        ArchiveProtection::Certificate(recipient.chain.clone()),
    );
    let original = fs::read(&path).unwrap();
    assert!(original.len() > 2 * 64 * 1024, "several chunks");
    let before = imported_channels(&importer);
    let damaged = importer.dir.path().join("damaged.archive");
    // Every header byte, then a spread over the chunks, and the last bytes.
    let header_len = 16
        + 1
        + 4
        + usize::try_from(u32::from_be_bytes(original[17..21].try_into().unwrap())).unwrap();
    let positions: Vec<usize> = (0..header_len + 8)
        .chain((header_len..original.len()).step_by(7_919))
        .chain(original.len() - 20..original.len())
        .collect();
    for &at in &positions {
        let mut bytes = original.clone();
        bytes[at] ^= 0x01;
        fs::write(&damaged, &bytes).unwrap();
        let result = import(&mut importer, &damaged, None);
        assert!(
            matches!(
                result,
                Err(ArchiveError::Tampered { .. }
                    | ArchiveError::Truncated
                    | ArchiveError::NotAnArchive
                    | ArchiveError::UnsupportedVersion { .. }
                    | ArchiveError::MalformedHeader(_)
                    | ArchiveError::NotForThisProfile { .. })
            ),
            "byte {at}: {result:?}"
        );
    }
    assert_eq!(imported_channels(&importer), before, "nothing imported");
    let report = import(&mut importer, &path, None).unwrap();
    assert_eq!(report.verified, 400, "the intact file still imports");
}

#[test]
fn flipped_bytes_in_a_passphrase_archive_are_detected() {
    let scene = scene(50);
    let (_, mut importer) = scene.importer();
    let path = scene.exporter.dir.path().join("cell.archive");
    scene.export(&path, passphrase("pass"));
    let original = fs::read(&path).unwrap();
    let damaged = importer.dir.path().join("damaged.archive");
    for at in (0..original.len()).step_by(499) {
        let mut bytes = original.clone();
        bytes[at] ^= 0x80;
        fs::write(&damaged, &bytes).unwrap();
        // A flipped salt or key-check byte cannot be told from a wrong
        // passphrase: refused either way.
        assert!(
            import(&mut importer, &damaged, Some("pass")).is_err(),
            "byte {at} went unnoticed"
        );
    }
    assert_eq!(
        imported_channels(&importer),
        1,
        "only the importer's own channel"
    );
}

#[test]
fn cut_or_extended_archives_are_refused() {
    let scene = scene(300);
    let (recipient, mut importer) = scene.importer();
    let path = scene.exporter.dir.path().join("cell.archive");
    scene.export(
        &path,
        ArchiveProtection::Certificate(recipient.chain.clone()),
    );
    let original = fs::read(&path).unwrap();
    let damaged = importer.dir.path().join("damaged.archive");
    let header_len =
        21 + usize::try_from(u32::from_be_bytes(original[17..21].try_into().unwrap())).unwrap();
    let first_chunk_end = header_len + 4 + 64 * 1024 + 16;
    for (what, bytes) in [
        (
            "cut at a chunk boundary",
            original[..first_chunk_end].to_vec(),
        ),
        (
            "cut inside a chunk",
            original[..first_chunk_end + 100].to_vec(),
        ),
        ("cut in the header", original[..30].to_vec()),
        ("header only", original[..header_len].to_vec()),
        ("bytes appended", [original.clone(), vec![0; 40]].concat()),
    ] {
        fs::write(&damaged, &bytes).unwrap();
        let result = import(&mut importer, &damaged, None);
        assert!(
            matches!(
                result,
                Err(ArchiveError::Truncated | ArchiveError::Tampered { .. })
            ),
            "{what}: {result:?}"
        );
    }
    fs::write(&damaged, b"not an archive at all").unwrap();
    assert!(matches!(
        import(&mut importer, &damaged, None),
        Err(ArchiveError::NotAnArchive)
    ));
}

#[test]
fn wrong_or_missing_passphrase_is_reported_as_such() {
    let scene = scene(10);
    let (_, mut importer) = scene.importer();
    let path = scene.exporter.dir.path().join("cell.archive");
    scene.export(&path, passphrase("right"));
    assert!(matches!(
        import(&mut importer, &path, Some("wrong")),
        Err(ArchiveError::WrongPassphrase)
    ));
    assert!(matches!(
        import(&mut importer, &path, None),
        Err(ArchiveError::PassphraseRequired)
    ));
    let empty = scene.exporter.engine.export_archive(
        &ExportRequest {
            channel: scene.channel.clone(),
            from_ms: None,
            to_ms: None,
            path: path.clone(),
            protection: passphrase(""),
        },
        &mut |_| {},
    );
    assert!(matches!(empty, Err(ArchiveError::EmptyPassphrase)));
}

#[test]
fn forged_messages_in_an_authentic_archive_are_flagged_one_by_one() {
    let scene = scene(100);
    let conn = scene.exporter.engine.store().connection();
    let ids: Vec<Vec<u8>> = {
        let mut stmt = conn
            .prepare("SELECT message_id FROM messages WHERE group_id = ?1 ORDER BY id LIMIT 3")
            .unwrap();
        stmt.query_map([&scene.channel.0], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    // 1. The text changed after signing.
    let envelope: Vec<u8> = conn
        .query_row(
            "SELECT envelope FROM messages WHERE message_id = ?1",
            [&ids[0]],
            |row| row.get(0),
        )
        .unwrap();
    let mut forged = Envelope::decode(&envelope).unwrap();
    forged.body = "Convoy cancelled, stand down".to_owned();
    conn.execute(
        "UPDATE messages SET envelope = ?2 WHERE message_id = ?1",
        params![ids[0], forged.encode()],
    )
    .unwrap();
    // 2. An envelope that is not one.
    conn.execute(
        "UPDATE messages SET envelope = x'00' WHERE message_id = ?1",
        [&ids[1]],
    )
    .unwrap();
    // 3. A signature from someone else.
    conn.execute(
        "UPDATE messages SET signature = zeroblob(64) WHERE message_id = ?1",
        [&ids[2]],
    )
    .unwrap();
    // 4. A sender whose authority the channel does not list.
    let usa = nation("USA");
    let stranger = identity(&usa, "usa.doe", "NATO SECRET");
    let foreign = stranger.bulk_message(
        message_id(),
        &label(DEFAULT),
        Precedence::Routine,
        "Hello from outside".to_owned(),
        now_ms(),
    );
    crate::archive::bulk::insert_bulk_messages(conn, &scene.channel, &[foreign]).unwrap();

    let path = scene.exporter.dir.path().join("forged.archive");
    assert_eq!(scene.export(&path, passphrase("pass")), 101);
    let (_, mut importer) = scene.importer();
    let report = import(&mut importer, &path, Some("pass")).unwrap();
    assert_eq!(
        (
            report.messages,
            report.verified,
            report.unverified,
            report.tampered
        ),
        (101, 97, 1, 3)
    );
    let stored = importer.engine.messages(&report.channel).unwrap();
    assert_eq!(stored.len(), 100, "the unreadable envelope is not stored");
    let flagged: Vec<(&str, Verification)> = stored
        .iter()
        .filter(|m| m.verification != Verification::Verified)
        .map(|m| (m.body.as_str(), m.verification))
        .collect();
    assert!(flagged.contains(&("Convoy cancelled, stand down", Verification::Tampered)));
    assert!(flagged.contains(&("Hello from outside", Verification::Unverified)));
    assert_eq!(flagged.len(), 3);
}

#[test]
fn a_failed_export_leaves_no_file_and_keeps_the_old_one() {
    let scene = scene(30);
    let path = scene.exporter.dir.path().join("cell.archive");
    fs::write(&path, b"previous archive").unwrap();
    // A stored row the exporter cannot write (a truncated signature) makes
    // the export fail half-way through the messages.
    let conn = scene.exporter.engine.store().connection();
    conn.execute(
        "UPDATE messages SET signature = x'0102' WHERE id = (SELECT max(id) FROM messages)",
        [],
    )
    .unwrap();
    let result = scene.exporter.engine.export_archive(
        &ExportRequest {
            channel: scene.channel.clone(),
            from_ms: None,
            to_ms: None,
            path: path.clone(),
            protection: passphrase("pass"),
        },
        &mut |_| {},
    );
    assert!(result.is_err());
    assert_eq!(fs::read(&path).unwrap(), b"previous archive");
    let leftovers: Vec<_> = fs::read_dir(scene.exporter.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_header_asking_for_unbounded_key_derivation_is_refused_before_any_work() {
    let scene = scene(5);
    let (_, mut importer) = scene.importer();
    let path = scene.exporter.dir.path().join("cell.archive");
    scene.export(&path, passphrase("pass"));
    let mut bytes = fs::read(&path).unwrap();
    // magic, version, header length, archive id, creation time, marking.
    let marking_at = 16 + 1 + 4 + 16 + 8;
    let marking_len = usize::try_from(u32::from_be_bytes(
        bytes[marking_at..marking_at + 4].try_into().unwrap(),
    ))
    .unwrap();
    let memory_at = marking_at + 4 + marking_len + 1;
    bytes[memory_at..memory_at + 4].copy_from_slice(&(4 * 1024 * 1024u32).to_be_bytes());
    let damaged = importer.dir.path().join("greedy.archive");
    fs::write(&damaged, &bytes).unwrap();
    let result = import(&mut importer, &damaged, Some("pass"));
    assert!(
        matches!(result, Err(ArchiveError::KeyDerivation { .. })),
        "{result:?}"
    );
}
