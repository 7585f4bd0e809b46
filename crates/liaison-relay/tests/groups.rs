//! Key-package directory, group registration, total order, wrong epoch,
//! membership, Welcome routing and pushes, against a real relay.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_core::{ChannelId, Draft, OutgoingKind};
use liaison_proto::relay::{ErrorCode, Push, Request, Response};
use liaison_proto::{Bytes, SubmitOutcome};

/// An admin's channel with a second officer added through the relay.
struct Cell {
    relay: TestRelay,
    _dir: tempfile::TempDir,
    admin: Officer,
    fr: Officer,
    _de: Officer,
    a: RawClient,
    f: RawClient,
    d: RawClient,
    channel: ChannelId,
}

async fn cell() -> Cell {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr, &fra, &deu]), limits()).await;
    let mut admin = officer(&gbr, "gbr.admin");
    let mut fr = officer(&fra, "fra.officer");
    let mut de = officer(&deu, "deu.officer");
    let mut a = RawClient::login(&relay, &admin).await;
    let mut f = RawClient::login(&relay, &fr).await;
    let mut d = RawClient::login(&relay, &de).await;
    f.publish(fr.engine.generate_key_packages(2, true).unwrap())
        .await;
    d.publish(de.engine.generate_key_packages(2, true).unwrap())
        .await;
    let channel = admin
        .engine
        .create_channel(policy(&["gbr.admin"], &[&gbr, &fra, &deu]))
        .unwrap();
    register_channel(&mut a, &mut admin, &channel).await;
    Cell {
        relay,
        _dir: dir,
        admin,
        fr,
        _de: de,
        a,
        f,
        d,
        channel,
    }
}

/// Sends a text from an officer and submits it; returns its position.
async fn say(
    officer: &mut Officer,
    client: &mut RawClient,
    channel: &ChannelId,
    text: &str,
) -> u64 {
    officer.engine.send(channel, Draft::text(text)).unwrap();
    let outgoing = officer
        .engine
        .outbox()
        .unwrap()
        .into_iter()
        .find(|o| o.kind == OutgoingKind::Application)
        .unwrap();
    let seq = client.accepted(&channel.0, outgoing.message, None).await;
    officer
        .engine
        .outbox_accepted(outgoing.outbox_id, seq)
        .unwrap();
    seq
}

/// Adds `fra.officer` to the cell's channel; returns the commit's position.
async fn add_fr(cell: &mut Cell) -> u64 {
    let package = cell.a.claim("fra.officer").await;
    cell.admin
        .engine
        .add_members(&cell.channel, &[package])
        .unwrap();
    let (id, commit, welcome) = pending_commit(&cell.admin);
    let seq = cell.a.accepted(&cell.channel.0, commit, welcome).await;
    cell.admin.engine.outbox_accepted(id, seq).unwrap();
    seq
}

#[tokio::test]
async fn one_time_key_packages_are_handed_out_once_and_the_last_resort_one_stays() {
    let mut cell = cell().await;
    let first = cell.a.claim("fra.officer").await;
    let second = cell.a.claim("fra.officer").await;
    assert_ne!(first, second);
    let last_resort = cell.a.claim("fra.officer").await;
    assert_ne!(last_resort, first);
    assert_ne!(last_resort, second);
    assert_eq!(cell.a.claim("fra.officer").await, last_resort);
    assert_eq!(
        cell.f.ok(Request::KeyPackageCount).await,
        Response::KeyPackageCount {
            one_time: 0,
            last_resort: true
        }
    );
    assert_eq!(
        cell.a
            .refused(Request::ClaimKeyPackage {
                officer_id: "usa.nobody".to_owned(),
                authority: None,
            })
            .await,
        ErrorCode::NoKeyPackage
    );
    cell.relay.stop().await;
}

#[tokio::test]
async fn officer_directory_lists_holders_of_key_packages_with_their_chains_to_admins_only() {
    let mut cell = cell().await;
    let Response::Officers { officers } = cell.a.ok(Request::ListOfficers { limit: 10 }).await
    else {
        panic!("not an officer list");
    };
    let ids: Vec<&str> = officers.iter().map(|o| o.officer_id.as_str()).collect();
    // The admin published nothing; the two others did.
    assert_eq!(ids, ["deu.officer", "fra.officer"]);
    let fra = &officers[1];
    assert_eq!(
        fra.certificate_chain
            .iter()
            .map(|der| der.0.clone())
            .collect::<Vec<_>>(),
        cell.fr.engine.certificate_chain().certificates().to_vec()
    );
    let Response::Officers { officers } = cell.a.ok(Request::ListOfficers { limit: 1 }).await
    else {
        panic!("not an officer list");
    };
    assert_eq!(officers.len(), 1);
    // An officer who administers no channel sees only the officers it
    // shares a channel with: here, none.
    let Response::Officers { officers } = cell.f.ok(Request::ListOfficers { limit: 10 }).await
    else {
        panic!("not an officer list");
    };
    assert!(officers.is_empty(), "{officers:?}");
    cell.relay.stop().await;
}

#[tokio::test]
async fn key_packages_of_another_officer_cannot_be_published() {
    let mut cell = cell().await;
    let foreign = cell.fr.engine.generate_key_packages(1, false).unwrap();
    let refused = cell
        .d
        .refused(Request::PublishKeyPackages {
            key_packages: foreign.into_iter().map(Bytes).collect(),
        })
        .await;
    assert_eq!(refused, ErrorCode::Malformed);
    let refused = cell
        .d
        .refused(Request::PublishKeyPackages {
            key_packages: vec![Bytes(b"not a key package".to_vec())],
        })
        .await;
    assert_eq!(refused, ErrorCode::Malformed);
    cell.relay.stop().await;
}

#[tokio::test]
async fn a_group_is_registered_once_by_its_admin_creator() {
    let mut cell = cell().await;
    let outgoing = cell.admin.engine.outbox().unwrap();
    assert!(outgoing.iter().all(|o| o.kind != OutgoingKind::Create));
    // The creator's GroupInfo again: the group exists.
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let mut other = officer(&gbr, "gbr.other");
    let channel = other
        .engine
        .create_channel(policy(&["gbr.other"], &[&gbr, &fra]))
        .unwrap();
    let info = other
        .engine
        .outbox()
        .unwrap()
        .into_iter()
        .find(|o| o.kind == OutgoingKind::Create)
        .unwrap()
        .message;
    // Somebody else cannot register it in the creator's name.
    let refused = cell
        .d
        .refused(Request::CreateGroup {
            group_id: Bytes(channel.0.clone()),
            group_info: Bytes(info.clone()),
        })
        .await;
    assert_eq!(refused, ErrorCode::Forbidden);
    let refused = cell
        .a
        .refused(Request::CreateGroup {
            group_id: Bytes(cell.channel.0.clone()),
            group_info: Bytes(info),
        })
        .await;
    assert_eq!(refused, ErrorCode::Malformed, "group id mismatch");
    cell.relay.stop().await;
}

#[tokio::test]
async fn commits_are_ordered_and_a_stale_one_gets_wrong_epoch() {
    let mut cell = cell().await;
    let package = cell.a.claim("fra.officer").await;
    cell.admin
        .engine
        .add_members(&cell.channel, &[package])
        .unwrap();
    let (id, commit, welcome) = pending_commit(&cell.admin);
    let seq = cell
        .a
        .accepted(&cell.channel.0, commit.clone(), welcome)
        .await;
    assert_eq!(seq, 1);
    cell.admin.engine.outbox_accepted(id, seq).unwrap();
    // The same epoch-0 commit again: the group is at epoch 1 now.
    let stale = cell.a.submit(&cell.channel.0, commit, None).await;
    assert_eq!(
        stale,
        liaison_proto::relay::ResponseResult::Ok(Response::Submitted {
            outcome: SubmitOutcome::WrongEpoch { current: 1 }
        })
    );
    // Application messages are ordered after it, whatever their epoch.
    let admin = &mut cell.admin;
    assert_eq!(say(admin, &mut cell.a, &cell.channel, "one").await, 2);
    assert_eq!(say(admin, &mut cell.a, &cell.channel, "two").await, 3);
    let seqs: Vec<u64> = cell
        .a
        .fetch(&cell.channel.0, 0)
        .await
        .iter()
        .map(|d| d.seq)
        .collect();
    assert_eq!(seqs, [1, 2, 3]);
    cell.relay.stop().await;
}

#[tokio::test]
async fn welcome_reaches_only_the_added_officer_who_then_reads_from_the_join() {
    let mut cell = cell().await;
    add_fr(&mut cell).await;
    // Pushed to the connected recipient, and kept until the recipient
    // drops it: a client that stops before storing the join fetches it
    // again.
    assert!(matches!(cell.f.push().await, Push::Welcome { .. }));
    assert!(cell.d.welcomes().await.is_empty());
    let welcomes = cell.f.welcomes().await;
    assert_eq!(welcomes.len(), 1);
    assert_eq!(cell.f.welcomes().await, welcomes, "kept until dropped");
    assert_eq!(cell.d.drop_welcomes(&welcomes).await, 0, "not theirs");
    assert_eq!(
        cell.f
            .refused(Request::DropWelcomes {
                hashes: vec![Bytes(vec![0; 5])]
            })
            .await,
        ErrorCode::Malformed
    );
    let joined = cell.fr.engine.join(&welcomes[0]).unwrap();
    assert_eq!(joined, cell.channel);
    assert_eq!(cell.f.drop_welcomes(&welcomes).await, 1);
    assert!(cell.f.welcomes().await.is_empty());

    let subscribed = cell
        .f
        .ok(Request::Subscribe {
            group_id: Bytes(cell.channel.0.clone()),
            after: 0,
        })
        .await;
    assert_eq!(subscribed, Response::Subscribed);
    let seq = say(
        &mut cell.admin,
        &mut cell.a,
        &cell.channel,
        "Convoy at 0400Z",
    )
    .await;
    let Push::Deliver { delivery } = cell.f.push().await else {
        panic!("expected a delivery");
    };
    assert_eq!(delivery.seq, seq);
    // The commit that added fr is not fr's to read: its window starts after it.
    let fetched = cell.f.fetch(&cell.channel.0, 0).await;
    assert_eq!(fetched, std::slice::from_ref(&delivery));
    cell.fr.engine.receive(&delivery).unwrap();
    let bodies: Vec<String> = cell
        .fr
        .engine
        .messages(&cell.channel)
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    assert_eq!(bodies, ["Convoy at 0400Z"]);
    cell.relay.stop().await;
}

#[tokio::test]
async fn non_members_can_neither_read_nor_write() {
    let mut cell = cell().await;
    add_fr(&mut cell).await;
    let group = Bytes(cell.channel.0.clone());
    assert_eq!(
        cell.d
            .refused(Request::Fetch {
                group_id: group.clone(),
                after: 0,
                limit: 10
            })
            .await,
        ErrorCode::NotMember
    );
    assert_eq!(
        cell.d
            .refused(Request::Subscribe {
                group_id: group.clone(),
                after: 0
            })
            .await,
        ErrorCode::NotMember
    );
    let message = cell.a.fetch(&cell.channel.0, 0).await[0].message.clone();
    let refused = cell.d.submit(&cell.channel.0, message, None).await;
    assert!(matches!(
        refused,
        liaison_proto::relay::ResponseResult::Error(e) if e.code == ErrorCode::NotMember
    ));
    assert_eq!(
        cell.d
            .refused(Request::Fetch {
                group_id: Bytes(vec![7; 16]),
                after: 0,
                limit: 10
            })
            .await,
        ErrorCode::UnknownGroup
    );
    cell.relay.stop().await;
}

#[tokio::test]
async fn removed_member_reads_up_to_its_removal_and_no_further() {
    let mut cell = cell().await;
    add_fr(&mut cell).await;
    let welcome = cell.f.welcomes().await.remove(0);
    cell.fr.engine.join(&welcome).unwrap();
    cell.f
        .ok(Request::Subscribe {
            group_id: Bytes(cell.channel.0.clone()),
            after: 1,
        })
        .await;
    cell.admin
        .engine
        .remove_members(&cell.channel, &["fra.officer"])
        .unwrap();
    let (id, commit, _) = pending_commit(&cell.admin);
    let removal = cell.a.accepted(&cell.channel.0, commit, None).await;
    cell.admin.engine.outbox_accepted(id, removal).unwrap();
    let after = say(&mut cell.admin, &mut cell.a, &cell.channel, "after fr left").await;
    // The removing commit is pushed, nothing after it.
    let pushed: Vec<u64> = {
        let mut seqs = Vec::new();
        loop {
            match cell.f.push().await {
                Push::Deliver { delivery } => {
                    seqs.push(delivery.seq);
                    if delivery.seq == removal {
                        break;
                    }
                }
                Push::Welcome { .. } => continue,
                other => panic!("{other:?}"),
            }
        }
        seqs
    };
    assert_eq!(pushed, [removal]);
    let fetched: Vec<u64> = cell
        .f
        .fetch(&cell.channel.0, 0)
        .await
        .iter()
        .map(|d| d.seq)
        .collect();
    assert_eq!(fetched, [removal]);
    assert!(after > removal);
    let received = cell
        .fr
        .engine
        .receive(&cell.f.fetch(&cell.channel.0, 0).await[0])
        .unwrap();
    assert!(matches!(
        received,
        liaison_core::Received::Commit {
            removed_self: true,
            ..
        }
    ));
    assert_eq!(
        cell.f
            .refused(Request::Subscribe {
                group_id: Bytes(cell.channel.0.clone()),
                after: 0
            })
            .await,
        ErrorCode::NotMember
    );
    cell.relay.stop().await;
}

#[tokio::test]
async fn accepted_messages_survive_a_restart() {
    let mut cell = cell().await;
    add_fr(&mut cell).await;
    say(&mut cell.admin, &mut cell.a, &cell.channel, "before").await;
    let before = cell.a.fetch(&cell.channel.0, 0).await;
    let Cell {
        relay,
        _dir,
        mut admin,
        ..
    } = cell;
    let dir = relay.dir.clone();
    let gbr_trust = relay_trust_of(&mut admin);
    relay.stop().await;
    let relay = start_relay(&dir, gbr_trust, limits()).await;
    let mut a = RawClient::login(&relay, &admin).await;
    assert_eq!(a.fetch(&admin_channel(&admin).0, 0).await, before);
    let channel = admin_channel(&admin);
    let next = say(&mut admin, &mut a, &channel, "after").await;
    assert_eq!(next, 3);
    relay.stop().await;
}

/// The admin's only channel.
fn admin_channel(admin: &Officer) -> ChannelId {
    admin.engine.channels().unwrap().remove(0).id
}

/// Trust for a restarted relay: the anchors of the admin's channel.
fn relay_trust_of(admin: &mut Officer) -> liaison_core::TrustAnchors {
    let channel = admin_channel(admin);
    admin.engine.policy(&channel).unwrap().anchors().clone()
}

/// A rejoin request as a member's client would make it; the relay keeps it
/// without judging the signature (the admins' clients do).
fn rejoin_request(group_id: &[u8], epoch: u64, mark: u8) -> Vec<u8> {
    liaison_proto::rejoin::RejoinRequest {
        claim: liaison_proto::rejoin::RejoinClaim {
            group_id: group_id.to_vec(),
            epoch,
            authenticator: vec![mark; liaison_proto::EPOCH_CHECK_LEN],
        },
        signature: vec![mark; 64],
    }
    .encode()
}

#[tokio::test]
async fn rejoin_requests_are_kept_for_members_read_by_admins_only_and_answered_by_the_removal() {
    let mut cell = cell().await;
    add_fr(&mut cell).await;
    let group = Bytes(cell.channel.0.clone());
    let ask = |request: Vec<u8>| Request::RequestRejoin {
        group_id: group.clone(),
        request: Bytes(request),
    };
    let read = Request::RejoinRequests {
        group_id: group.clone(),
    };

    // Only a current member may ask, and only with a request for this group.
    assert_eq!(
        cell.d.refused(ask(rejoin_request(&group.0, 1, 1))).await,
        ErrorCode::NotMember
    );
    assert_eq!(
        cell.f.refused(ask(rejoin_request(&[9; 16], 1, 1))).await,
        ErrorCode::Malformed
    );
    assert_eq!(
        cell.f.refused(ask(b"not a request".to_vec())).await,
        ErrorCode::Malformed
    );
    assert_eq!(
        cell.f.refused(ask(vec![1; 4096])).await,
        ErrorCode::TooLarge
    );
    // One per member: the newer replaces the older.
    assert_eq!(
        cell.f.ok(ask(rejoin_request(&group.0, 1, 1))).await,
        Response::RejoinRequested
    );
    let newer = rejoin_request(&group.0, 1, 2);
    assert_eq!(
        cell.f.ok(ask(newer.clone())).await,
        Response::RejoinRequested
    );

    // Admins read them; a member who is not one, or a stranger, does not.
    assert_eq!(cell.f.refused(read.clone()).await, ErrorCode::Forbidden);
    assert_eq!(cell.d.refused(read.clone()).await, ErrorCode::NotMember);
    let Response::RejoinRequests { requests } = cell.a.ok(read.clone()).await else {
        panic!("not a list of rejoin requests");
    };
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].officer_id, "fra.officer");
    assert_eq!(requests[0].request.0, newer);

    // A commit that removes the member's leaf answers its request.
    cell.admin
        .engine
        .remove_members(&cell.channel, &["fra.officer"])
        .unwrap();
    let (id, commit, welcome) = pending_commit(&cell.admin);
    let seq = cell.a.accepted(&cell.channel.0, commit, welcome).await;
    cell.admin.engine.outbox_accepted(id, seq).unwrap();
    let Response::RejoinRequests { requests } = cell.a.ok(read).await else {
        panic!("not a list of rejoin requests");
    };
    assert!(requests.is_empty(), "{requests:?}");
    cell.relay.stop().await;
}
