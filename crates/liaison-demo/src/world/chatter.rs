//! Unprompted traffic: now and then a partner officer says something in a
//! channel a user is in.

use std::time::Duration;

use tokio::sync::{mpsc, watch};

use crate::bot::Command;

fn random_bytes() -> [u8; 4] {
    let mut bytes = [0u8; 4];
    // Without randomness the chatter is merely predictable.
    let _ = getrandom::fill(&mut bytes);
    bytes
}

/// Between half and one and a half times `mean`.
fn jittered(mean: Duration, random: u8) -> Duration {
    let half = mean / 2;
    half + mean.mul_f64(f64::from(random) / 255.0)
}

/// Runs until the world drops `every`'s sender.
pub(super) async fn run(
    mut every: watch::Receiver<Option<Duration>>,
    bots: Vec<mpsc::Sender<Command>>,
) {
    loop {
        let current = *every.borrow_and_update();
        let Some(mean) = current else {
            if every.changed().await.is_err() {
                return;
            }
            continue;
        };
        let [wait, pick, seed, _] = random_bytes();
        tokio::select! {
            changed = every.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            () = tokio::time::sleep(jittered(mean, wait)) => {
                if let Some(bot) = bots.get(usize::from(pick) % bots.len().max(1)) {
                    // A busy bot skips its turn.
                    let _ = bot.try_send(Command::Chat { seed });
                }
            }
        }
    }
}
