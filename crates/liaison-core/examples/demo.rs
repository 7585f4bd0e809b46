//! A first look at the Liaison engine, with no window and no network:
//! three partner authorities (GBR, FRA, DEU) issue officer certificates, a
//! GBR admin opens the "GBR-FRA-DEU border cell" channel with ceiling
//! NATO SECRET REL TO DEU, FRA, GBR, adds the partners, and everyone
//! exchanges labelled messages through an in-process relay. Each officer's
//! history lives in its own SQLCipher file; the label rules are enforced by
//! every engine. Run with `cargo xtask demo`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use liaison_core::{
    Authority, ChannelPolicy, Clearance, DeliveryService, DeviceKey, Draft, Engine, EngineError,
    Label, LoopbackConnection, LoopbackRelay, Nationality, OfficerAttributes, PolicyRegistry,
    Precedence, TrafficKind, TrustAnchors, Validity, danger, flush_outbox, sync,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

struct Officer {
    name: &'static str,
    engine: Engine,
    relay: LoopbackConnection,
}

fn authority(code: &str) -> Result<(Authority, Nationality)> {
    let nation: Nationality = code.parse()?;
    let authority = Authority::init(
        &format!("{code} Liaison Authority"),
        &format!("{code} Ministry of Defence"),
        &nation,
        Validity::starting_now(Duration::from_secs(365 * 86_400))?,
    )?;
    Ok((authority, nation))
}

async fn officer(
    relay: &LoopbackRelay,
    registry: &Arc<PolicyRegistry>,
    dir: &std::path::Path,
    (authority, nation): &(Authority, Nationality),
    id: &str,
    name: &'static str,
    level: &str,
) -> Result<Officer> {
    let nato = registry.get("NATO").ok_or("NATO policy missing")?;
    let clearance = Clearance::builder(nato, level).build()?.to_attribute();
    let device = DeviceKey::generate()?;
    let attributes = OfficerAttributes::new(
        id,
        name,
        format!("{nation} liaison staff"),
        *nation,
        clearance,
    )?;
    let now = SystemTime::now();
    let certificate = authority.issue(
        &attributes,
        &device.public_key(),
        now,
        now + Duration::from_secs(30 * 86_400),
    )?;
    let chain = authority.chain_for(certificate)?;
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| e.to_string())?;
    let store = danger::create_with_raw_key(dir.join(format!("{id}.db")), &key)?;
    let mut engine = Engine::create_profile(store, registry.clone(), id, chain, device)?;
    let connection = relay.connect(id);
    connection
        .publish_key_packages(engine.generate_key_packages(2, true)?)
        .await?;
    Ok(Officer {
        name,
        engine,
        relay: connection,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let registry = Arc::new(PolicyRegistry::builtin());
    let relay = LoopbackRelay::new();
    let (gbr, fra, deu, usa) = (
        authority("GBR")?,
        authority("FRA")?,
        authority("DEU")?,
        authority("USA")?,
    );
    let mut smith = officer(
        &relay,
        &registry,
        dir.path(),
        &gbr,
        "gbr.smith",
        "Maj. J. Smith",
        "NATO SECRET",
    )
    .await?;
    let mut martin = officer(
        &relay,
        &registry,
        dir.path(),
        &fra,
        "fra.martin",
        "Cdt C. Martin",
        "NATO SECRET",
    )
    .await?;
    let mut weber = officer(
        &relay,
        &registry,
        dir.path(),
        &deu,
        "deu.weber",
        "Maj. A. Weber",
        "NATO SECRET",
    )
    .await?;
    let low = officer(
        &relay,
        &registry,
        dir.path(),
        &fra,
        "fra.durand",
        "Lt P. Durand",
        "NATO RESTRICTED",
    )
    .await?;
    let us = officer(
        &relay,
        &registry,
        dir.path(),
        &usa,
        "usa.jones",
        "Capt. K. Jones",
        "COSMIC TOP SECRET",
    )
    .await?;

    let label = |text: &str| Label::parse_marking(text, &registry);
    let anchors = TrustAnchors::new(
        [&gbr, &fra, &deu]
            .iter()
            .map(|(a, _)| a.certificate_der().to_vec())
            .collect(),
    )?;
    let policy = ChannelPolicy::new(
        "GBR-FRA-DEU border cell",
        label("NATO SECRET//REL TO DEU, FRA, GBR")?,
        label("NATO RESTRICTED//REL TO DEU, FRA, GBR")?,
        ["gbr.smith".to_owned()],
        anchors,
    )?;
    println!("== {} opens '{}'", smith.name, policy.partnership());
    println!("   ceiling  {}", policy.ceiling().marking());
    println!("   default  {}", policy.default_label().marking());
    let channel = smith.engine.create_channel(policy)?;

    for candidate in [&low, &us] {
        let package = smith
            .relay
            .claim_key_package(candidate.engine.officer_id())
            .await?;
        match smith.engine.add_members(&channel, &[package]) {
            Err(EngineError::Rule(violation)) => println!("   refused: {violation}"),
            other => println!("   unexpected: {other:?}"),
        }
    }
    let packages = vec![
        smith.relay.claim_key_package("fra.martin").await?,
        smith.relay.claim_key_package("deu.weber").await?,
    ];
    smith.engine.add_members(&channel, &packages)?;
    flush_outbox(&mut smith.engine, &smith.relay).await?;
    sync(&mut martin.engine, &martin.relay).await?;
    sync(&mut weber.engine, &weber.relay).await?;
    println!("== members (verified against the partner authorities)");
    for member in smith.engine.members(&channel)? {
        println!(
            "   {:<14} {:<16} {}{}",
            member.officer_id,
            member.display_name,
            member.nationality,
            if member.admin { "  admin" } else { "" }
        );
    }

    println!("== traffic");
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
        Err(EngineError::Rule(violation)) => println!("   weber's send refused: {violation}"),
        other => println!("   unexpected: {other:?}"),
    }
    sync(&mut smith.engine, &smith.relay).await?;

    println!("== {}'s encrypted history", smith.name);
    for message in smith.engine.messages(&channel)? {
        let acks = smith
            .engine
            .acknowledgements(&channel, message.message_id)?;
        println!(
            "   {:<28} {:<9} {:<9} {:<11} {}{}",
            message.portion_marking,
            message.precedence.as_str(),
            message.kind.as_str(),
            message.sender_id,
            message.body,
            if acks.is_empty() {
                String::new()
            } else {
                format!(
                    "  [acknowledged by {}]",
                    acks.iter()
                        .map(|a| a.officer_id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
    }
    println!("== stores: {}", dir.path().display());
    println!("   each profile is a SQLCipher file; the demo keys are random and discarded on exit");
    Ok(())
}
