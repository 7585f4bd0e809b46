//! The demo world over its real relay on 127.0.0.1: a user's officer is
//! issued, welcomed, reads the scripted history, gets answers at its
//! message's label, and finds everything again after a restart.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::{User, quiet_world, within};
use liaison_core::{Draft, Label, Precedence, ReferenceKind, StoredMessage, TrafficKind};
use liaison_demo::{
    COORDINATION_CHANNEL, DemoError, ExerciseOfficer, LIAISON_CHANNEL, LOGISTICS_CHANNEL,
};

const BOTS: [&str; 4] = ["gbr.hughes", "fra.moreau", "deu.keller", "usa.carter"];

fn is_bot(id: &str) -> bool {
    BOTS.contains(&id)
}

fn reply_to(messages: &[StoredMessage], source: liaison_core::MessageId) -> Option<&StoredMessage> {
    messages
        .iter()
        .find(|m| m.reference == Some((ReferenceKind::Reply, source)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_welcomed_officer_reads_the_history_gets_answers_and_finds_it_all_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let world_dir = dir.path().join("world");
    let world = quiet_world(&world_dir).await;
    assert!(world.relay_url().starts_with("wss://127.0.0.1:"));
    assert!(world.relay_ca_pem().contains("BEGIN CERTIFICATE"));

    let officer = ExerciseOfficer::new("gbr.taylor", "Capt. Sam Taylor", "GBR", "NATO SECRET");
    let (chain, device) = world.issue_officer(&officer).unwrap();
    let mut user = User::create(&world, dir.path().join("taylor.db"), chain, device).await;
    within("welcome", world.welcome("gbr.taylor"))
        .await
        .unwrap();
    user.sync().await;

    // A GBR officer cleared NATO SECRET is admitted to all three channels.
    let names: BTreeSet<String> = user
        .engine
        .channels()
        .unwrap()
        .into_iter()
        .filter(|c| c.active)
        .map(|c| c.name)
        .collect();
    let expected: BTreeSet<String> = [LIAISON_CHANNEL, COORDINATION_CHANNEL, LOGISTICS_CHANNEL]
        .map(String::from)
        .into();
    assert_eq!(names, expected);
    // The demo gives the user admin work: the partners make them an admin
    // of the channels the cast says, and only of those.
    let mut administered = BTreeSet::new();
    for channel in user.engine.channels().unwrap() {
        if user
            .engine
            .policy(&channel.id)
            .unwrap()
            .is_admin("gbr.taylor")
        {
            administered.insert(channel.name);
        }
    }
    let expected: BTreeSet<String> = [COORDINATION_CHANNEL, LOGISTICS_CHANNEL]
        .map(String::from)
        .into();
    assert_eq!(administered, expected);

    // The scripted history reached the newcomer over the relay.
    let liaison = world.channels()[LIAISON_CHANNEL].clone();
    let history = user.messages(&liaison);
    assert_eq!(history.len(), 7);
    assert!(history.iter().all(|m| is_bot(&m.sender_id)));
    let markings: BTreeSet<&str> = history.iter().map(|m| m.portion_marking.as_str()).collect();
    assert!(markings.len() >= 2, "{markings:?}");
    assert_eq!(
        history
            .iter()
            .filter(|m| m.precedence == Precedence::Flash)
            .count(),
        1
    );
    assert!(history.iter().any(|m| m.kind == TrafficKind::Exercise));
    let replies: Vec<_> = history.iter().filter(|m| m.reference.is_some()).collect();
    assert!(!replies.is_empty());
    // Dated as the script says: the earliest well before the latest.
    assert!(history[0].sent_at_ms + 60 * 60 * 1000 < history[6].sent_at_ms);
    // The other partners acknowledge the FLASH (the sender does not).
    let flash = history
        .iter()
        .find(|m| m.precedence == Precedence::Flash)
        .unwrap()
        .message_id;
    user.sync_until("acknowledgements of the FLASH", &liaison, |engine, _| {
        engine.acknowledgements(&liaison, flash).unwrap().len() == 2
    })
    .await;

    // A message at NATO SECRET gets one answer, at the same label.
    let secret =
        Label::parse_marking("NATO SECRET//REL TO DEU, FRA, GBR", world.registry()).unwrap();
    let question = user
        .say(
            &liaison,
            Draft {
                label: Some(secret.clone()),
                ..Draft::text("Can you confirm K9 is open for liaison traffic?")
            },
        )
        .await;
    let messages = user
        .sync_until("a partner's answer", &liaison, |_, messages| {
            reply_to(messages, question).is_some()
        })
        .await;
    let answer = reply_to(&messages, question).unwrap();
    assert!(is_bot(&answer.sender_id));
    assert_eq!(answer.label, secret);

    // An IMMEDIATE message is acknowledged by every partner in the channel.
    let urgent = user
        .say(
            &liaison,
            Draft {
                precedence: Precedence::Immediate,
                ..Draft::text("K9 reports a queue of 40 vehicles.")
            },
        )
        .await;
    user.sync_until(
        "acknowledgements of the IMMEDIATE",
        &liaison,
        |engine, _| engine.acknowledgements(&liaison, urgent).unwrap().len() == 3,
    )
    .await;

    // Restart on the same directory: same authorities, relay certificate
    // and channels; the profile syncs against the new address.
    let gbr = world.authority("GBR").unwrap().certificate_der().to_vec();
    let pem = world.relay_ca_pem().to_owned();
    let channels = world.channels().clone();
    let before = user.messages(&liaison).len();
    world.shutdown().await;

    let world = quiet_world(&world_dir).await;
    assert_eq!(
        world.authority("GBR").unwrap().certificate_der(),
        gbr.as_slice()
    );
    assert_eq!(world.relay_ca_pem(), pem);
    assert_eq!(world.channels(), &channels);
    let mut user = user.reconnect(&world).await;
    // Welcoming again changes nothing: no second history.
    within("welcome again", world.welcome("gbr.taylor"))
        .await
        .unwrap();
    user.sync().await;
    assert_eq!(user.messages(&liaison).len(), before);
    let question = user
        .say(&liaison, Draft::text("Back online. Any change at K7?"))
        .await;
    user.sync_until("an answer after the restart", &liaison, |_, messages| {
        reply_to(messages, question).is_some()
    })
    .await;
    world.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officers_join_only_what_admits_them_and_a_new_device_replaces_the_old() {
    let dir = tempfile::tempdir().unwrap();
    let world = quiet_world(&dir.path().join("world")).await;

    // Refusals, before anything reaches the relay.
    let unknown = ExerciseOfficer::new("ita.rossi", "Cap. Luca Rossi", "ITA", "NATO SECRET");
    assert!(matches!(
        world.issue_officer(&unknown),
        Err(DemoError::UnknownNation(n)) if n == "ITA"
    ));
    let impostor = ExerciseOfficer::new("gbr.hughes", "Maj. Alex Hughes", "GBR", "NATO SECRET");
    assert!(matches!(
        world.issue_officer(&impostor),
        Err(DemoError::ReservedOfficerId(_))
    ));
    assert!(matches!(
        world.welcome("fra.nobody").await,
        Err(DemoError::UnknownOfficer(_))
    ));
    let junior = ExerciseOfficer::new("fra.petit", "Lt Marc Petit", "FRA", "NATO UNCLASSIFIED");
    world.issue_officer(&junior).unwrap();
    assert!(matches!(
        world.welcome("fra.petit").await,
        Err(DemoError::NotAdmitted(_))
    ));

    // A US officer is admitted to the four-nation channel only.
    let officer = ExerciseOfficer::new("usa.brooks", "Lt Jordan Brooks", "USA", "NATO SECRET");
    let (chain, device) = world.issue_officer(&officer).unwrap();
    let mut user = User::create(&world, dir.path().join("brooks-1.db"), chain, device).await;
    within("welcome", world.welcome("usa.brooks"))
        .await
        .unwrap();
    user.sync().await;
    let joined: Vec<String> = user
        .engine
        .channels()
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(joined, [LOGISTICS_CHANNEL]);
    let logistics = world.channels()[LOGISTICS_CHANNEL].clone();
    assert_eq!(user.messages(&logistics).len(), 3);

    // The same officer starts over on a new device: the partners replace
    // the old device and play the history again for the newcomer.
    let (chain, device) = world.issue_officer(&officer).unwrap();
    let mut fresh = User::create(&world, dir.path().join("brooks-2.db"), chain, device).await;
    fresh.welcomed(&world).await;
    assert_eq!(fresh.messages(&logistics).len(), 3);
    user.sync().await;
    let old = user.engine.channels().unwrap();
    assert!(
        old.iter().all(|c| !c.active),
        "the old device was not removed"
    );

    // Bulk history for benchmarks arrives whole.
    within("seeding", world.seed_messages(LOGISTICS_CHANNEL, 600))
        .await
        .unwrap();
    let messages = fresh
        .sync_until("the seeded messages", &logistics, |_, messages| {
            messages.len() >= 603
        })
        .await;
    assert_eq!(messages.len(), 603);
    assert!(matches!(
        world.seed_messages("No such channel", 1).await,
        Err(DemoError::UnknownChannel(_))
    ));

    // Unprompted traffic, when asked for, lands where the user is.
    world.set_chatter(Some(std::time::Duration::from_millis(200)));
    fresh
        .sync_until("an unprompted message", &logistics, |_, messages| {
            messages[603..]
                .iter()
                .any(|m| is_bot(&m.sender_id) && m.reference.is_none())
        })
        .await;
    world.set_chatter(None);
    world.shutdown().await;
}

/// The desktop app keeps the world in shared state and runs its calls on
/// any runtime thread.
#[test]
fn the_world_and_its_calls_can_move_between_threads() {
    fn shared<T: Send + Sync>() {}
    fn sendable<T: Send>(_: &T) {}
    #[allow(dead_code)]
    fn calls(world: &liaison_demo::DemoWorld) {
        sendable(&world.welcome("gbr.taylor"));
        sendable(&world.seed_messages(LIAISON_CHANNEL, 1));
        sendable(&liaison_demo::DemoWorld::start(
            liaison_demo::DemoConfig::new("x"),
        ));
    }
    shared::<liaison_demo::DemoWorld>();
    shared::<DemoError>();
}
