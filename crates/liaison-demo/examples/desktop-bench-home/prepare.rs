//! Building the two homes once; `prepared.json`, written last, says they
//! are complete and for how many messages.

use std::error::Error;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use liaison_core::RelayTrust;
use liaison_demo::{DemoConfig, DemoWorld, LIAISON_CHANNEL};
use liaison_desk::views::{ConnectionState, ProtectionKind};
use liaison_desk::{CertificateSubject, Desk, DeskConfig, ExerciseProfileRequest, IssueError};
use serde_json::{Value, json};

/// Bumped when the homes' content changes, so older caches are rebuilt.
const FORMAT: u64 = 2;
/// The passphrase of both benchmark profiles (exercise data, nothing else).
pub(crate) const PASSPHRASE: &str = "liaison desktop benchmark";
/// The profile in the seeded channel.
const FULL: (&str, &str) = ("gbr.bench", "Capt. B. Bench");
/// The profile in no channel.
const EMPTY: (&str, &str) = ("gbr.baseline", "Capt. E. Baseline");
/// Longest wait for the relay connection or a channel to appear.
const PATIENCE: Duration = Duration::from_secs(120);
/// The user's store may stop growing this long before we give up.
const STALL: Duration = Duration::from_secs(180);

type Failure = Box<dyn Error>;

/// The homes in `dir` for `messages` seeded messages: reused when
/// `prepared.json` matches, else built from scratch. Returns the record.
pub(crate) async fn ensure(dir: &Path, messages: usize) -> Result<Value, Failure> {
    let marker = dir.join("prepared.json");
    if let Some(record) = fs::read_to_string(&marker)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .filter(|v| v["format"] == FORMAT && v["messages"] == messages)
    {
        eprintln!("desktop-bench-home: reusing {}", dir.display());
        return Ok(record);
    }
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir.join("homes"))?;
    eprintln!(
        "desktop-bench-home: building {} ({messages} messages; minutes for 100,000)",
        dir.display()
    );
    let world = Arc::new(DemoWorld::start(DemoConfig::new(dir.join("world"))).await?);
    world.set_chatter(None);
    let built = build(&world, dir, messages).await;
    match Arc::try_unwrap(world) {
        Ok(world) => world.shutdown().await,
        Err(_) => eprintln!("desktop-bench-home: the world is still shared; not stopped cleanly"),
    }
    let record = built?;
    fs::write(&marker, serde_json::to_string_pretty(&record)?)?;
    Ok(record)
}

async fn build(world: &Arc<DemoWorld>, dir: &Path, messages: usize) -> Result<Value, Failure> {
    let started = Instant::now();
    let full = Arc::new(desk(world, &dir.join("homes").join("full"))?);
    create(&full, FULL).await?;
    online(&full).await?;
    world.welcome(FULL.0).await?;
    let channel = channel_named(&full, LIAISON_CHANNEL).await?;

    let empty = desk(world, &dir.join("homes").join("empty"))?;
    create(&empty, EMPTY).await?;
    // Online once, so its key packages are published as any new profile's.
    online(&empty).await?;
    empty.lock().await?;

    let seeding = Instant::now();
    let progress = tokio::spawn(report_progress(Arc::clone(&full), channel.clone()));
    let seeded = world.seed_messages(LIAISON_CHANNEL, messages).await;
    progress.abort();
    seeded?;
    let seed_time = seeding.elapsed();
    eprintln!("desktop-bench-home: the relay holds {messages} messages after {seed_time:.0?}");
    let total = received(&full, &channel, messages).await?;
    eprintln!(
        "desktop-bench-home: the profile holds {total} messages after {:.0?}",
        seeding.elapsed()
    );
    let channels = full
        .list_channels()
        .await?
        .into_iter()
        .map(|c| json!({ "name": c.name, "id": c.id }))
        .collect::<Vec<_>>();
    full.lock().await?;
    Ok(json!({
        "format": FORMAT,
        "messages": messages,
        "channel": LIAISON_CHANNEL,
        "channelId": channel,
        "channelTotal": total,
        "channels": channels,
        "officers": { "full": FULL.0, "empty": EMPTY.0 },
        "seedSeconds": seed_time.as_secs_f64(),
        "buildSeconds": started.elapsed().as_secs_f64(),
    }))
}

/// A desk on `home` pointed at the world's relay, its authority issuing.
fn desk(world: &Arc<DemoWorld>, home: &Path) -> Result<Desk, Failure> {
    let mut config = DeskConfig::new(home);
    config.relay_url = Some(world.relay_url());
    config.relay_trust = Some(RelayTrust::from_pem(world.relay_ca_pem().as_bytes())?);
    let issuing = Arc::clone(world);
    config.issuer = Some(Arc::new(move |officer: &CertificateSubject| {
        issuing
            .issue_officer(&liaison_demo::ExerciseOfficer {
                officer_id: officer.officer_id.clone(),
                display_name: officer.display_name.clone(),
                nationality: officer.nationality.to_string(),
                clearance: officer.clearance_name.clone(),
            })
            .map_err(|e| IssueError(e.to_string()))
    }));
    Ok(Desk::new(config))
}

/// The exercise profile, through the same request the window sends.
async fn create(desk: &Desk, (officer_id, name): (&str, &str)) -> Result<(), Failure> {
    desk.create_exercise_profile(ExerciseProfileRequest {
        display_name: name.to_owned(),
        officer_id: officer_id.to_owned(),
        nationality: "GBR".to_owned(),
        clearance: "NATO SECRET".to_owned(),
        protection: ProtectionKind::Passphrase,
        passphrase: Some(PASSPHRASE.to_owned()),
        pin: None,
    })
    .await?;
    Ok(())
}

/// Waits until the desk's runtime is online (it then publishes key packages).
async fn online(desk: &Desk) -> Result<(), Failure> {
    let deadline = Instant::now() + PATIENCE;
    while desk.connection_state().await != ConnectionState::Online {
        if Instant::now() > deadline {
            return Err("the profile did not get online".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// The id of the channel called `name` once the profile has joined it.
async fn channel_named(desk: &Desk, name: &str) -> Result<String, Failure> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(channel) = desk
            .list_channels()
            .await?
            .into_iter()
            .find(|c| c.name == name)
        {
            return Ok(channel.id);
        }
        if Instant::now() > deadline {
            return Err(format!("the profile did not join {name:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn total(desk: &Desk, channel: &str) -> Result<u64, Failure> {
    Ok(desk.thread_page(channel, 0, 1).await?.total)
}

/// Waits until the profile holds at least `messages` and its count has
/// stopped moving (the scripted history arrives alongside).
async fn received(desk: &Desk, channel: &str, messages: usize) -> Result<u64, Failure> {
    let wanted = u64::try_from(messages)?;
    let mut last = total(desk, channel).await?;
    let mut moved = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let now = total(desk, channel).await?;
        if now != last {
            last = now;
            moved = Instant::now();
        } else if now >= wanted && moved.elapsed() >= Duration::from_secs(4) {
            return Ok(now);
        } else if moved.elapsed() > STALL {
            return Err(format!("the profile stopped at {now} of {wanted} messages").into());
        }
    }
}

async fn report_progress(desk: Arc<Desk>, channel: String) {
    loop {
        tokio::time::sleep(Duration::from_secs(15)).await;
        if let Ok(n) = total(&desk, &channel).await {
            eprintln!("desktop-bench-home: the profile holds {n} messages");
        }
    }
}
