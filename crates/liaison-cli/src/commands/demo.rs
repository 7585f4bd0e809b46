//! `liaison demo`: a newcomer's first look. Starts a relay on 127.0.0.1
//! (development TLS certificate, three exercise partner authorities), gives
//! officers of GBR, FRA and DEU their certificates and encrypted stores, and
//! plays a short partnership over the real relay: a channel with a NATO
//! SECRET ceiling, refused adds, labelled FLASH traffic with
//! acknowledgements, an exercise message, a refused over-ceiling send, and a
//! tightening preview. Everything lives in a temporary directory (or
//! `--dir`), with random store keys: nothing touches the user's profiles or
//! keyring.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use liaison_core::{
    ChannelId, ChannelPolicy, DeliveryService, DeviceKey, Draft, Engine, EngineError, InitialTrust,
    Label, PolicyRegistry, Precedence, RelayClient, TrafficKind, commit_with_retry, flush_outbox,
    sync,
};
use liaison_demo::{
    DemoError, ExerciseAuthority, ExerciseOfficer, LocalRelay, RelaySettings, throwaway_profile,
    trust_anchors,
};

use crate::error::CliError;

/// How long the scripted officers' certificates are valid.
const OFFICER_LIFETIME: Duration = Duration::from_secs(30 * 86_400);

impl From<DemoError> for CliError {
    fn from(error: DemoError) -> Self {
        match error {
            DemoError::Engine(e) => e.into(),
            DemoError::Store(e) => e.into(),
            DemoError::Sync(e) => e.into(),
            DemoError::Delivery(e) => e.into(),
            DemoError::Authority(e) => e.into(),
            DemoError::Credential(e) => e.into(),
            DemoError::Label(e) => e.into(),
            DemoError::Policy(e) => e.into(),
            DemoError::Nationality(e) => e.into(),
            DemoError::Io { path, source, .. } => CliError::io(path, source),
            DemoError::Randomness => CliError::Randomness,
            DemoError::Relay(e) => CliError::RelayUnavailable(e.to_string()),
            other => CliError::Usage(other.to_string()),
        }
    }
}

struct Officer {
    engine: Engine,
    relay: RelayClient,
}

/// Writes a line of the narrative (ignored in JSON mode, where only the
/// summary is printed).
fn say(out: &mut dyn Write, json: bool, line: impl AsRef<str>) -> Result<(), CliError> {
    if !json {
        writeln!(out, "{}", line.as_ref()).map_err(CliError::Output)?;
    }
    Ok(())
}

struct Stage<'a> {
    dir: &'a Path,
    registry: Arc<PolicyRegistry>,
    relay: &'a LocalRelay,
    /// The partnership's authorities, which every officer's profile pins
    /// at onboarding.
    partners: InitialTrust,
}

impl Stage<'_> {
    fn identity(
        &self,
        nation: &ExerciseAuthority,
        id: &str,
        name: &str,
        level: &str,
    ) -> Result<(Engine, liaison_core::CertificateChain, DeviceKey), CliError> {
        let officer = ExerciseOfficer::new(id, name, nation.nation().to_string(), level);
        let device = DeviceKey::generate().map_err(|_| CliError::Randomness)?;
        let chain = nation.issue(&officer, &device, OFFICER_LIFETIME, &self.registry)?;
        let engine = throwaway_profile(
            &self.dir.join(format!("{id}.db")),
            self.registry.clone(),
            id,
            chain.clone(),
            DeviceKey::from_seed(&device.to_seed()),
            &self.partners,
        )?;
        Ok((engine, chain, device))
    }

    async fn officer(
        &self,
        nation: &ExerciseAuthority,
        id: &str,
        name: &str,
        level: &str,
    ) -> Result<Officer, CliError> {
        let (mut engine, chain, device) = self.identity(nation, id, name, level)?;
        let relay = self.relay.connect(chain, device).await?;
        relay
            .publish_key_packages(engine.generate_key_packages(3, true)?)
            .await?;
        Ok(Officer { engine, relay })
    }
}

fn markings(engine: &Engine, channel: &ChannelId) -> Result<Vec<serde_json::Value>, CliError> {
    let mut out = Vec::new();
    for message in engine.messages(channel)? {
        let acks: Vec<String> = engine
            .acknowledgements(channel, message.message_id)?
            .into_iter()
            .map(|a| a.officer_id)
            .collect();
        out.push(serde_json::json!({
            "portion_marking": message.portion_marking,
            "precedence": message.precedence.as_str(),
            "kind": message.kind.as_str(),
            "sender": message.sender_id,
            "nation": message.sender_nation,
            "body": message.body,
            "acknowledged_by": acks,
        }));
    }
    Ok(out)
}

/// Runs the demo in `dir`.
pub async fn demo(dir: &Path, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let registry = Arc::new(PolicyRegistry::builtin());
    let (gbr, fra, deu, usa) = (
        ExerciseAuthority::for_nation("GBR")?,
        ExerciseAuthority::for_nation("FRA")?,
        ExerciseAuthority::for_nation("DEU")?,
        ExerciseAuthority::for_nation("USA")?,
    );
    let relay = LocalRelay::start(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        &dir.join("relay"),
        trust_anchors([&gbr, &fra, &deu])?,
        &RelaySettings::default(),
    )
    .await?;
    let stage = Stage {
        dir,
        registry: registry.clone(),
        relay: &relay,
        partners: InitialTrust::onboarding(
            [&gbr, &fra, &deu]
                .iter()
                .map(|a| a.certificate_der().to_vec())
                .collect(),
        ),
    };
    say(
        out,
        json,
        format!(
            "== relay listening on {} (development certificate {})",
            relay.url(),
            relay.certificate_path().display()
        ),
    )?;
    say(out, json, "   trusted partner authorities: GBR, FRA, DEU")?;

    let result = play(&stage, &registry, [&gbr, &fra, &deu, &usa], json, out).await;
    // The narrative's outcome matters more than how the relay stopped.
    let _ = relay.stop().await;
    let summary = result?;
    if json {
        writeln!(out, "{summary}").map_err(CliError::Output)?;
    }
    Ok(())
}

async fn play(
    stage: &Stage<'_>,
    registry: &PolicyRegistry,
    [gbr, fra, deu, usa]: [&ExerciseAuthority; 4],
    json: bool,
    out: &mut dyn Write,
) -> Result<serde_json::Value, CliError> {
    let label = |text: &str| Label::parse_marking(text, registry);
    let mut smith = stage
        .officer(gbr, "gbr.smith", "Maj. J. Smith", "NATO SECRET")
        .await?;
    let mut martin = stage
        .officer(fra, "fra.martin", "Cdt C. Martin", "NATO SECRET")
        .await?;
    let mut weber = stage
        .officer(deu, "deu.weber", "Maj. A. Weber", "NATO SECRET")
        .await?;
    let durand = stage
        .officer(fra, "fra.durand", "Lt P. Durand", "NATO RESTRICTED")
        .await?;
    let (_, chain, device) =
        stage.identity(usa, "usa.jones", "Capt. K. Jones", "COSMIC TOP SECRET")?;
    match stage.relay.connect(chain, device).await {
        Err(error) => say(out, json, format!("   relay refused usa.jones: {error}"))?,
        Ok(_) => say(
            out,
            json,
            "   unexpected: the relay accepted an untrusted authority",
        )?,
    }

    let anchors = trust_anchors([gbr, fra, deu])?;
    let policy = ChannelPolicy::new(
        "GBR-FRA-DEU border cell",
        label("NATO SECRET//REL TO DEU, FRA, GBR")?,
        label("NATO RESTRICTED//REL TO DEU, FRA, GBR")?,
        ["gbr.smith".to_owned()],
        anchors,
    )?;
    say(
        out,
        json,
        format!("== Maj. J. Smith (GBR) opens '{}'", policy.partnership()),
    )?;
    say(
        out,
        json,
        format!(
            "   ceiling {}  default {}",
            policy.ceiling().marking(),
            policy.default_label().marking()
        ),
    )?;
    let channel = smith.engine.create_channel(policy)?;
    flush_outbox(&mut smith.engine, &smith.relay).await?;

    let package = smith
        .relay
        .claim_key_package(durand.engine.officer_id())
        .await?;
    match smith.engine.add_members(&channel, &[package]) {
        Err(EngineError::Rule(violation)) => say(out, json, format!("   refused: {violation}"))?,
        other => say(out, json, format!("   unexpected: {other:?}"))?,
    }
    let packages = vec![
        smith.relay.claim_key_package("fra.martin").await?,
        smith.relay.claim_key_package("deu.weber").await?,
    ];
    commit_with_retry(&mut smith.engine, &smith.relay, &channel, 3, |engine| {
        engine.add_members(&channel, &packages)
    })
    .await?;
    for officer in [&mut martin, &mut weber] {
        sync(&mut officer.engine, &officer.relay).await?;
    }
    say(
        out,
        json,
        "== members, verified against the partner authorities",
    )?;
    for member in smith.engine.members(&channel)? {
        say(
            out,
            json,
            format!(
                "   {:<11} {:<15} {}{}",
                member.officer_id,
                member.display_name,
                member.nationality,
                if member.admin { "  admin" } else { "" }
            ),
        )?;
    }

    say(out, json, "== traffic")?;
    smith.engine.send(
        &channel,
        Draft {
            label: Some(label("NATO SECRET//REL TO DEU, FRA, GBR")?),
            precedence: Precedence::Flash,
            ..Draft::text("Vehicle checkpoint K7 closed until 0600Z.")
        },
    )?;
    flush_outbox(&mut smith.engine, &smith.relay).await?;
    for officer in [&mut martin, &mut weber] {
        sync(&mut officer.engine, &officer.relay).await?;
        for id in officer.engine.awaiting_acknowledgement(&channel)? {
            officer.engine.acknowledge(&channel, id)?;
        }
        flush_outbox(&mut officer.engine, &officer.relay).await?;
    }
    martin.engine.send(
        &channel,
        Draft::text("Reçu. Patrouille française à K7 à 0615Z."),
    )?;
    flush_outbox(&mut martin.engine, &martin.relay).await?;
    weber.engine.send(
        &channel,
        Draft {
            kind: TrafficKind::Exercise,
            ..Draft::text("EXERCISE: Bundespolizei support team on standby.")
        },
    )?;
    flush_outbox(&mut weber.engine, &weber.relay).await?;
    match weber.engine.send(
        &channel,
        Draft {
            label: Some(label("COSMIC TOP SECRET//REL TO DEU, FRA, GBR")?),
            ..Draft::text("above the ceiling")
        },
    ) {
        Err(EngineError::Rule(violation)) => say(
            out,
            json,
            format!("   deu.weber's send refused: {violation}"),
        )?,
        other => say(out, json, format!("   unexpected: {other:?}"))?,
    }
    for officer in [&mut smith, &mut martin, &mut weber] {
        sync(&mut officer.engine, &officer.relay).await?;
    }

    let tighter = smith.engine.policy(&channel)?.with_labels(
        label("NATO SECRET//REL TO FRA, GBR")?,
        label("NATO RESTRICTED//REL TO FRA, GBR")?,
    )?;
    let removed: Vec<String> = smith
        .engine
        .preview_policy_change(&channel, &tighter)?
        .into_iter()
        .map(|m| m.officer_id)
        .collect();
    say(
        out,
        json,
        format!(
            "   a ceiling of {} would remove: {}",
            tighter.ceiling().marking(),
            removed.join(", ")
        ),
    )?;

    let mut stores = serde_json::Map::new();
    for officer in [&smith, &martin, &weber] {
        let messages = markings(&officer.engine, &channel)?;
        say(
            out,
            json,
            format!("== {}'s encrypted store", officer.engine.officer_id()),
        )?;
        for m in &messages {
            let acks = m["acknowledged_by"].as_array().map_or(0, Vec::len);
            say(
                out,
                json,
                format!(
                    "   {:<28} {:<9} {:<9} {:<10} {}{}",
                    m["portion_marking"].as_str().unwrap_or_default(),
                    m["precedence"].as_str().unwrap_or_default(),
                    m["kind"].as_str().unwrap_or_default(),
                    m["sender"].as_str().unwrap_or_default(),
                    m["body"].as_str().unwrap_or_default(),
                    if acks > 0 {
                        format!("  [{acks} acknowledgements]")
                    } else {
                        String::new()
                    }
                ),
            )?;
        }
        stores.insert(
            officer.engine.officer_id().to_owned(),
            serde_json::Value::Array(messages),
        );
    }
    say(
        out,
        json,
        format!("== files: {} (kept only with --dir)", stage.dir.display()),
    )?;
    Ok(serde_json::json!({
        "relay": stage.relay.url(),
        "channel": channel.to_hex(),
        "tightening_would_remove": removed,
        "stores": stores,
    }))
}
