use time::OffsetDateTime;

use super::new_store;
use crate::store::{AuditScope, DeviceKeySeed, StoreError};

#[test]
fn profile_round_trips() {
    let (_dir, store) = new_store();
    assert!(store.profile().unwrap().is_none());
    let before = OffsetDateTime::now_utc() - time::Duration::seconds(1);

    store
        .save_profile("FRA-0007", b"\x30\x82chain", &DeviceKeySeed::new([9; 32]))
        .unwrap();

    let profile = store.profile().unwrap().unwrap();
    assert_eq!(profile.officer_id, "FRA-0007");
    assert_eq!(profile.certificate_chain, b"\x30\x82chain");
    assert_eq!(profile.device_key_seed.expose(), &[9; 32]);
    assert!(profile.created_at >= before);
    assert!(profile.created_at <= OffsetDateTime::now_utc());
}

#[test]
fn second_profile_is_refused_and_the_first_kept() {
    let (_dir, store) = new_store();
    store
        .save_profile("FRA-0007", b"chain", &DeviceKeySeed::new([9; 32]))
        .unwrap();

    let result = store.save_profile("GBR-0001", b"other", &DeviceKeySeed::new([1; 32]));

    assert!(
        matches!(result, Err(StoreError::ProfileExists)),
        "{result:?}"
    );
    let profile = store.profile().unwrap().unwrap();
    assert_eq!(profile.officer_id, "FRA-0007");
    assert_eq!(profile.device_key_seed.expose(), &[9; 32]);
}

#[test]
fn certificate_chain_can_be_renewed() {
    let (_dir, store) = new_store();
    let missing = store.replace_certificate_chain(b"new");
    assert!(
        matches!(missing, Err(StoreError::ProfileMissing)),
        "{missing:?}"
    );

    store
        .save_profile("FRA-0007", b"old", &DeviceKeySeed::new([9; 32]))
        .unwrap();
    store.replace_certificate_chain(b"new").unwrap();

    let profile = store.profile().unwrap().unwrap();
    assert_eq!(profile.certificate_chain, b"new");
    assert_eq!(profile.device_key_seed.expose(), &[9; 32]);
}

#[test]
fn device_key_seed_never_shows_in_debug_output() {
    let (_dir, store) = new_store();
    store
        .save_profile("FRA-0007", b"chain", &DeviceKeySeed::new([0xab; 32]))
        .unwrap();
    let shown = format!("{:?}", store.profile().unwrap().unwrap());
    assert!(shown.contains("FRA-0007"));
    assert!(!shown.contains("171"), "{shown}");
    assert!(!shown.to_lowercase().contains("abab"), "{shown}");
    assert!(DeviceKeySeed::from_slice(&[1; 31]).is_none());
}

#[test]
fn audit_log_reads_back_newest_first_by_scope() {
    let (_dir, store) = new_store();
    let first = store.audit(None, "unlocked", "keyring").unwrap();
    let joined = store.audit(Some(b"group-a"), "joined", "epoch 0").unwrap();
    store.audit(Some(b"group-b"), "joined", "epoch 3").unwrap();
    let last = store
        .audit(Some(b"group-a"), "label-refused", "above ceiling")
        .unwrap();
    assert!(first < joined && joined < last);

    let all = store.audit_log(AuditScope::All, None, 10).unwrap();
    let events: Vec<&str> = all.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(events, ["label-refused", "joined", "joined", "unlocked"]);
    assert_eq!(all[0].group_id.as_deref(), Some(&b"group-a"[..]));
    assert_eq!(all[0].detail, "above ceiling");
    assert!(all[0].at >= all[3].at);

    let group_a = store
        .audit_log(AuditScope::Group(b"group-a"), None, 10)
        .unwrap();
    let ids: Vec<i64> = group_a.iter().map(|e| e.id).collect();
    assert_eq!(ids, [last, joined]);

    let profile_only = store.audit_log(AuditScope::Profile, None, 10).unwrap();
    assert_eq!(profile_only.len(), 1);
    assert_eq!(profile_only[0].group_id, None);
}

#[test]
fn audit_log_pages_with_a_limit_and_a_cursor() {
    let (_dir, store) = new_store();
    let ids: Vec<i64> = (0..5)
        .map(|i| store.audit(None, "tick", &i.to_string()).unwrap())
        .collect();

    let page = store.audit_log(AuditScope::All, None, 2).unwrap();
    assert_eq!(
        page.iter().map(|e| e.id).collect::<Vec<_>>(),
        [ids[4], ids[3]]
    );
    let next = store.audit_log(AuditScope::All, Some(ids[3]), 2).unwrap();
    assert_eq!(
        next.iter().map(|e| e.id).collect::<Vec<_>>(),
        [ids[2], ids[1]]
    );
}

#[test]
fn audit_rows_cannot_be_edited() {
    let (_dir, store) = new_store();
    let id = store.audit(None, "unlocked", "keyring").unwrap();
    let edit = store.connection().execute(
        "UPDATE audit SET detail = 'nothing happened' WHERE id = ?1",
        [id],
    );
    assert!(edit.is_err());
    assert_eq!(
        store.audit_log(AuditScope::All, None, 1).unwrap()[0].detail,
        "keyring"
    );
}

#[test]
fn typed_events_keep_kind_detail_and_facts() {
    use crate::audit::{AuditEvent, Officer};
    let (_dir, store) = new_store();
    let event = AuditEvent::MemberLeft {
        member: Officer::new("fra.officer", "Jean Roux"),
        epoch: 3,
    };
    store.record(Some(b"group-a"), &event).unwrap();
    let entry = &store.audit_log(AuditScope::All, None, 1).unwrap()[0];
    assert_eq!(entry.event, "member.left");
    assert_eq!(entry.detail, "Jean Roux (fra.officer) left at epoch 3");
    let facts = entry.facts.as_ref().unwrap();
    assert_eq!(facts.text("member"), Some("fra.officer"));
    assert_eq!(facts.text("memberName"), Some("Jean Roux"));
    // The untyped form stays available and has no facts.
    store.audit(None, "legacy.kind", "said in English").unwrap();
    assert_eq!(
        store.audit_log(AuditScope::All, None, 1).unwrap()[0].facts,
        None
    );
}

#[test]
fn audit_query_filters_by_category_time_and_channel() {
    use crate::audit::{AuditCategory, AuditEvent, LockReason};
    use crate::store::AuditQuery;
    let (_dir, store) = new_store();
    let locked = store
        .record(
            None,
            &AuditEvent::Locked {
                reason: LockReason::Idle,
            },
        )
        .unwrap();
    let archived = store
        .record(Some(b"group-a"), &AuditEvent::ChannelArchived)
        .unwrap();
    let unknown = store
        .audit(Some(b"group-b"), "newer.kind", "from a newer version")
        .unwrap();
    let ids = |query: &AuditQuery<'_>| -> Vec<i64> {
        store
            .audit_query(query)
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect()
    };

    let mut query = AuditQuery::newest(AuditScope::All, 10);
    query.categories = vec![AuditCategory::Security];
    assert_eq!(ids(&query), [locked]);
    query.categories = vec![AuditCategory::Archive, AuditCategory::Other];
    assert_eq!(ids(&query), [unknown, archived]);
    query.categories = vec![AuditCategory::Other];
    assert_eq!(ids(&query), [unknown]);

    let mut query = AuditQuery::newest(AuditScope::Group(b"group-a"), 10);
    assert_eq!(ids(&query), [archived]);
    query.scope = AuditScope::All;
    query.from_ms = Some(u64::MAX / 2);
    assert!(ids(&query).is_empty());
    query.from_ms = None;
    query.to_ms = Some(1);
    assert!(ids(&query).is_empty());
    query.to_ms = None;
    query.before = Some(unknown);
    assert_eq!(ids(&query), [archived, locked]);
}
