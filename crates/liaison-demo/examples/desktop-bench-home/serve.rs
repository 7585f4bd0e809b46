//! Keeping the world's relay up while the app is measured.

use std::error::Error;
use std::io::Write as _;
use std::path::Path;

use liaison_demo::{DemoConfig, DemoWorld};
use serde_json::{Value, json};

use crate::prepare::PASSPHRASE;

/// Starts the world in `dir` with the partners quiet, prints where the
/// relay is and what the homes hold, and runs until stdin closes.
pub(crate) async fn serve(dir: &Path, prepared: &Value) -> Result<(), Box<dyn Error>> {
    let world = DemoWorld::start(DemoConfig::new(dir.join("world"))).await?;
    world.set_chatter(None);
    let ca = dir.join("relay-ca.pem");
    std::fs::write(&ca, world.relay_ca_pem())?;
    let homes = dir.join("homes");
    let line = json!({
        "relayUrl": world.relay_url(),
        "relayCa": ca,
        "homes": { "full": homes.join("full"), "empty": homes.join("empty") },
        "passphrase": PASSPHRASE,
        "prepared": prepared,
    });
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    drop(out);
    // Whoever started us closes our stdin when done (or by exiting).
    let _ =
        tokio::task::spawn_blocking(|| std::io::copy(&mut std::io::stdin(), &mut std::io::sink()))
            .await;
    world.shutdown().await;
    Ok(())
}
