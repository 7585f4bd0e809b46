//! The desk against the real relay: joining, reading, sending,
//! acknowledging, offline queueing, and admin work.

use liaison_proto::{Precedence, TrafficKind};

use super::harness::{
    Member, TestDesk, TestRelay, anchors, cell_policy, eventually, exercise_request, label, nation,
    online, partner, test_desk, within,
};
use crate::views::{ConnectionState, PrecedenceView, Role, VerificationState};
use crate::{DeskEvent, ErrorKind, SendRequest};
use liaison_core::{ChannelId, Draft, MessageId};

struct World {
    relay: TestRelay,
    admin: Member,
    desk: TestDesk,
    channel: ChannelId,
    _authorities: Vec<liaison_core::Authority>,
}

/// A FRA admin's channel that the desk user (GBR) joins through the runtime.
async fn world() -> World {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let mut admin = partner(&relay.endpoint, &fra, "FRA", "fra.admin", "NATO SECRET").await;
    let desk = test_desk(Some(&gbr), Some(&relay.endpoint));
    desk.desk
        .create_exercise_profile(exercise_request("gbr.desk", "pw"))
        .await
        .unwrap();
    online(&desk.desk).await;
    let channel = admin
        .create_channel(cell_policy(&["fra.admin"], &[&gbr, &fra, &deu]))
        .await;
    admin.add_when_published(&channel, "gbr.desk").await;
    let hex = channel.to_hex();
    eventually("the desk joins", || async {
        desk.desk
            .list_channels()
            .await
            .unwrap()
            .iter()
            .any(|c| c.id == hex)
    })
    .await;
    World {
        relay,
        admin,
        desk,
        channel,
        _authorities: vec![gbr, fra, deu],
    }
}

fn send_request(channel: &ChannelId, body: &str, marking: &str) -> SendRequest {
    SendRequest {
        channel_id: channel.to_hex(),
        body: body.into(),
        marking: marking.into(),
        precedence: PrecedenceView::Routine,
        exercise: false,
        reply_to: None,
    }
}

#[tokio::test]
async fn joined_channel_shows_messages_unread_and_read_markers() {
    let mut w = world().await;
    assert!(w.desk.events.names().contains(&"channels"));
    let id = w.channel.to_hex();
    let listed = w.desk.desk.list_channels().await.unwrap();
    let view = listed.iter().find(|c| c.id == id).unwrap();
    assert_eq!(view.name, "GBR-FRA-DEU border cell");
    assert_eq!(view.ceiling.marking, "NATO SECRET//REL TO DEU, FRA, GBR");
    assert_eq!(view.ceiling.colour, "#C8102E");
    assert!(!view.is_admin);
    assert_eq!(view.member_count, 2);

    for text in ["one", "two", "three"] {
        w.admin.engine.send(&w.channel, Draft::text(text)).unwrap();
    }
    w.admin.flush().await;
    eventually("three unread", || async {
        w.desk.desk.list_channels().await.unwrap()[0].unread == 3
    })
    .await;
    assert!(w.desk.events.all().iter().any(|e| matches!(
        e,
        DeskEvent::Messages { event, notice: Some(notice) }
            if event.channel_id == id && notice.sender_name == "Officer fra.admin"
    )));
    let page = w.desk.desk.thread_page(&id, 1, 10).await.unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(page.start, 1);
    let bodies: Vec<&str> = page.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["two", "three"]);
    assert_eq!(page.messages[0].index, 1);
    assert_eq!(page.messages[0].verification, VerificationState::Verified);
    assert_eq!(page.messages[0].sender_nation, "FRA");
    assert_eq!(
        page.highest.unwrap().marking,
        "NATO RESTRICTED//REL TO DEU, FRA, GBR"
    );
    w.desk.desk.mark_read(&id, 1).await.unwrap();
    assert_eq!(w.desk.desk.list_channels().await.unwrap()[0].unread, 1);
    // Markers do not move back.
    w.desk.desk.mark_read(&id, 0).await.unwrap();
    assert_eq!(w.desk.desk.list_channels().await.unwrap()[0].unread, 1);
    w.desk.desk.mark_read(&id, 99).await.unwrap();
    assert_eq!(w.desk.desk.list_channels().await.unwrap()[0].unread, 0);

    let members = w.desk.desk.list_members(&id).await.unwrap();
    let admin = members
        .iter()
        .find(|m| m.officer_id == "fra.admin")
        .unwrap();
    assert_eq!(admin.role, Role::Admin);
    assert_eq!(admin.clearance, "NATO SECRET");
    assert!(
        members
            .iter()
            .any(|m| m.is_self && m.officer_id == "gbr.desk")
    );
    w.relay.stop().await;
}

#[tokio::test]
async fn composer_offers_only_allowed_labels_and_refuses_one_above_the_ceiling() {
    let mut w = world().await;
    let id = w.channel.to_hex();
    let options = w.desk.desk.composer_options(&id).await.unwrap();
    assert!(options.can_send);
    let markings: Vec<&str> = options
        .labels
        .iter()
        .map(|l| l.label.marking.as_str())
        .collect();
    assert_eq!(markings[0], "NATO RESTRICTED//REL TO DEU, FRA, GBR");
    assert!(options.labels[0].is_default);
    // Members are French and British: DEU is released to but holds no seat.
    for choice in &options.labels {
        assert_eq!(choice.beyond_members, ["DEU"], "{}", choice.label.marking);
    }
    let typed = |marking: &'static str| w.desk.desk.released_beyond_members(&id, marking);
    assert_eq!(
        typed("NATO SECRET//REL TO DEU, FRA").await.unwrap(),
        ["DEU"]
    );
    assert!(
        typed("NATO SECRET//REL TO FRA, GBR")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(typed("NATO SORTOF SECRET").await.unwrap().is_empty());
    assert!(markings.contains(&"NATO SECRET//REL TO DEU, FRA, GBR"));
    assert!(!markings.iter().any(|m| m.starts_with("COSMIC")));

    let refused = w
        .desk
        .desk
        .send_message(send_request(
            &w.channel,
            "too high",
            "COSMIC TOP SECRET//REL TO DEU, FRA, GBR",
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::LabelRefused);
    assert!(refused.to_string().contains("ceiling"), "{refused}");
    let garbled = w
        .desk
        .desk
        .send_message(send_request(&w.channel, "x", "NATO SORTOF SECRET"))
        .await
        .unwrap_err();
    assert_eq!(garbled.kind(), ErrorKind::LabelRefused);
    assert_eq!(w.desk.desk.thread_page(&id, 0, 10).await.unwrap().total, 0);

    let sent = w
        .desk
        .desk
        .send_message(send_request(
            &w.channel,
            "hello",
            "NATO SECRET//REL TO DEU, FRA, GBR",
        ))
        .await
        .unwrap();
    assert!(sent.mine);
    assert_eq!(sent.verification, VerificationState::Own);
    eventually("the message leaves the outbox", || async {
        let page = w.desk.desk.thread_page(&id, 0, 10).await.unwrap();
        !page.messages[0].pending
    })
    .await;
    w.admin.sync().await;
    let bodies: Vec<String> = w
        .admin
        .engine
        .messages(&w.channel)
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(bodies, ["hello"]);
    w.relay.stop().await;
}

#[tokio::test]
async fn flash_traffic_is_awaiting_until_acknowledged() {
    let mut w = world().await;
    let id = w.channel.to_hex();
    let flash = w
        .admin
        .engine
        .send(
            &w.channel,
            Draft {
                label: Some(label("NATO SECRET//REL TO DEU, FRA, GBR")),
                precedence: Precedence::Flash,
                kind: TrafficKind::Exercise,
                body: "contact".into(),
                reference: None,
            },
        )
        .unwrap();
    w.admin.flush().await;
    eventually("awaiting acknowledgement", || async {
        w.desk.desk.list_channels().await.unwrap()[0].awaiting_ack == 1
    })
    .await;
    let view = &w.desk.desk.list_channels().await.unwrap()[0];
    assert_eq!(view.awaiting_precedence, Some(PrecedenceView::Flash));
    let page = w.desk.desk.thread_page(&id, 0, 1).await.unwrap();
    assert!(page.messages[0].ack_requested && page.messages[0].exercise);
    assert!(!page.messages[0].acknowledged_by_me);

    w.desk.desk.acknowledge(&id, &flash.to_hex()).await.unwrap();
    assert_eq!(
        w.desk.desk.list_channels().await.unwrap()[0].awaiting_ack,
        0
    );
    assert!(w.desk.desk.thread_page(&id, 0, 1).await.unwrap().messages[0].acknowledged_by_me);
    let mut acked = false;
    for _ in 0..100 {
        w.admin.sync().await;
        if !w
            .admin
            .engine
            .acknowledgements(&w.channel, flash)
            .unwrap()
            .is_empty()
        {
            acked = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(acked, "the admin never saw the acknowledgement");
    w.relay.stop().await;
}

#[tokio::test]
async fn reply_carries_an_excerpt_of_its_source() {
    let mut w = world().await;
    let id = w.channel.to_hex();
    let source: MessageId = w
        .admin
        .engine
        .send(&w.channel, Draft::text("the source text"))
        .unwrap();
    w.admin.flush().await;
    eventually("the source arrives", || async {
        w.desk.desk.thread_page(&id, 0, 1).await.unwrap().total == 1
    })
    .await;
    let mut request = send_request(
        &w.channel,
        "my reply",
        "NATO RESTRICTED//REL TO DEU, FRA, GBR",
    );
    request.reply_to = Some(source.to_hex());
    let reply = w.desk.desk.send_message(request).await.unwrap();
    let reply_to = reply.reply_to.unwrap();
    assert_eq!(reply_to.excerpt.as_deref(), Some("the source text"));
    assert_eq!(reply_to.sender_name.as_deref(), Some("Officer fra.admin"));
    w.relay.stop().await;
}

#[tokio::test]
async fn with_the_relay_down_reads_work_and_sends_wait_as_pending() {
    let w = world().await;
    let id = w.channel.to_hex();
    w.relay.stop().await;
    eventually("the desk notices", || async {
        w.desk.desk.connection_state().await != ConnectionState::Online
    })
    .await;
    assert!(
        w.desk
            .events
            .all()
            .contains(&DeskEvent::Connection(ConnectionState::Connecting))
    );
    let sent = w
        .desk
        .desk
        .send_message(send_request(
            &w.channel,
            "queued",
            "NATO RESTRICTED//REL TO DEU, FRA, GBR",
        ))
        .await
        .unwrap();
    assert!(sent.pending);
    let listed = w.desk.desk.list_channels().await.unwrap();
    assert_eq!(listed.len(), 1);
    let page = within("a page offline", w.desk.desk.thread_page(&id, 0, 10))
        .await
        .unwrap();
    assert!(page.messages[0].pending);
    let error = w.desk.desk.directory(&id).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Offline);
}

#[tokio::test]
async fn an_admin_sees_candidates_with_reasons_and_adds_one() {
    let mut w = world().await;
    let id = w.channel.to_hex();
    // Only admins add: the FRA admin promotes the desk user.
    w.admin
        .commit(&w.channel, |engine, ch| {
            engine.set_admin(ch, "gbr.desk", true)
        })
        .await;
    eventually("the desk is admin", || async {
        w.desk.desk.list_channels().await.unwrap()[0].is_admin
    })
    .await;
    let deu = &w._authorities[2];
    let _cleared = partner(&w.relay.endpoint, deu, "DEU", "deu.cleared", "NATO SECRET").await;
    let _low = partner(&w.relay.endpoint, deu, "DEU", "deu.low", "NATO RESTRICTED").await;
    let candidates = w.desk.desk.directory(&id).await.unwrap();
    let cleared = candidates
        .iter()
        .find(|c| c.officer_id == "deu.cleared")
        .unwrap();
    assert!(cleared.eligible && cleared.reachable && !cleared.is_member);
    assert_eq!(cleared.nationality, "DEU");
    let low = candidates
        .iter()
        .find(|c| c.officer_id == "deu.low")
        .unwrap();
    assert!(!low.eligible);
    assert!(
        low.reason.as_deref().unwrap().contains("NATO RESTRICTED"),
        "{:?}",
        low.reason
    );
    // The window says it in the user's language from the code.
    assert!(
        matches!(
            &low.reason_code,
            Some(crate::views::AdmissionReason::LevelTooLow { held, .. }) if held == "NATO RESTRICTED"
        ),
        "{:?}",
        low.reason_code
    );
    let admin = candidates
        .iter()
        .find(|c| c.officer_id == "fra.admin")
        .unwrap();
    assert!(admin.is_member && !admin.eligible);

    let refused = w
        .desk
        .desk
        .add_member(&id, "deu.low", None)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::RuleViolation);

    // Another partner authority certifies the same id: the relay cannot
    // tell which officer is meant, and the admin picks the one shown.
    let fra = &w._authorities[1];
    let _impostor = partner(&w.relay.endpoint, fra, "FRA", "deu.cleared", "NATO SECRET").await;
    let candidates = w.desk.desk.directory(&id).await.unwrap();
    let namesakes: Vec<&crate::views::CandidateView> = candidates
        .iter()
        .filter(|c| c.officer_id == "deu.cleared")
        .collect();
    assert_eq!(namesakes.len(), 2, "{candidates:?}");
    assert_ne!(namesakes[0].authority, namesakes[1].authority);
    let chosen = namesakes.iter().find(|c| c.nationality == "DEU").unwrap();
    assert!(
        w.desk
            .desk
            .add_member(&id, "deu.cleared", None)
            .await
            .is_err(),
        "an ambiguous id was added without naming its authority"
    );
    let bad = w
        .desk
        .desk
        .add_member(&id, "deu.cleared", Some("not hex"))
        .await
        .unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidInput);
    w.desk
        .desk
        .add_member(&id, "deu.cleared", chosen.authority.as_deref())
        .await
        .unwrap();
    let members = w.desk.desk.list_members(&id).await.unwrap();
    let added = members
        .iter()
        .find(|m| m.officer_id == "deu.cleared")
        .unwrap();
    assert_eq!(
        added.nationality, "DEU",
        "the other authority's officer was added"
    );

    // A policy preview shows who a tightening would remove.
    let mut policy = w.desk.desk.channel_policy(&id).await.unwrap();
    let nations = |spec: &crate::views::LabelSpec| -> Vec<String> {
        spec.tags.iter().map(|t| t.value.clone()).collect()
    };
    assert_eq!(nations(&policy.ceiling), ["DEU", "FRA", "GBR"]);
    policy.ceiling.tags.retain(|t| t.value != "DEU");
    policy.default_label.tags.retain(|t| t.value != "DEU");
    let preview = w.desk.desk.preview_policy(&id, &policy).await.unwrap();
    assert!(preview.allowed, "{:?}", preview.issues);
    let removed: Vec<&str> = preview
        .removed
        .iter()
        .map(|r| r.member.officer_id.as_str())
        .collect();
    assert_eq!(removed, ["deu.cleared"]);
    assert_eq!(
        preview.removed[0].reason,
        crate::views::AdmissionReason::NotReleasable {
            nationality: "DEU".into()
        }
    );
    w.desk.desk.change_policy(&id, &policy).await.unwrap();
    let members = w.desk.desk.list_members(&id).await.unwrap();
    assert!(!members.iter().any(|m| m.officer_id == "deu.cleared"));
    let audit = w
        .desk
        .desk
        .audit_log(&crate::AuditRequest {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.kind == "channel.joined"));
    w.relay.stop().await;
}
