//! The desktop memory benchmark's history: a channel of 100,000 messages
//! seeded by a bot and received by a user's engine. Slow, so ignored; run
//! it in release:
//! `cargo test --release -p liaison-demo --test seed -- --ignored --nocapture`
//! (`LIAISON_DEMO_SEED=N` changes the count).
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Instant;

use common::{User, quiet_world};
use liaison_demo::{ExerciseOfficer, LIAISON_CHANNEL};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "minutes long: the desktop memory benchmark's history"]
async fn a_seeded_channel_of_a_hundred_thousand_messages_reaches_a_user() {
    let count: usize = std::env::var("LIAISON_DEMO_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let world = quiet_world(&dir.path().join("world")).await;
    let officer = ExerciseOfficer::new("gbr.bench", "Capt. Bench", "GBR", "NATO SECRET");
    let (chain, device) = world.issue_officer(&officer).unwrap();
    let mut user = User::create(&world, dir.path().join("bench.db"), chain, device).await;
    user.welcomed(&world).await;
    let channel = world.channels()[LIAISON_CHANNEL].clone();
    let before = user.messages(&channel).len();

    let started = Instant::now();
    world.seed_messages(LIAISON_CHANNEL, count).await.unwrap();
    let seeded = started.elapsed();
    let started = Instant::now();
    user.sync().await;
    let received = started.elapsed();
    let total = user.messages(&channel).len();
    eprintln!(
        "seeded {count} messages in {seeded:?} ({:.0}/s); the user received them in {received:?} ({:.0}/s)",
        count as f64 / seeded.as_secs_f64(),
        count as f64 / received.as_secs_f64(),
    );
    assert_eq!(total - before, count);
    world.shutdown().await;
}
