//! The desktop benchmark's data (`cargo xtask bench-desktop`): two desktop
//! homes, laid out exactly as the app's desk runtime (liaison-desk) keeps
//! them, made once and reused.
//!
//! - `homes/full`: a passphrase profile (officer `gbr.bench`) that the demo
//!   partners added to their channels, one of which holds the seeded
//!   history (100,000 messages by default) received through the desk's own
//!   runtime, as the app receives them.
//! - `homes/empty`: a passphrase profile (officer `gbr.baseline`) in no
//!   channel: the baseline.
//!
//! ```text
//! desktop-bench-home <dir> [--messages N] [--prepare-only]
//! ```
//!
//! Without `--prepare-only` it then keeps the demo world's relay (and the
//! quiet partner bots) running so the app is online while measured, prints
//! one JSON line on stdout (relay URL, relay CA file, homes, passphrase,
//! channel) and stops cleanly when its standard input closes.

mod prepare;
mod serve;

use std::error::Error;
use std::path::PathBuf;

/// The seeded channel's size unless `--messages` says otherwise.
const DEFAULT_MESSAGES: usize = 100_000;

/// What the command line asks for.
struct Options {
    dir: PathBuf,
    messages: usize,
    prepare_only: bool,
}

fn options() -> Result<Options, String> {
    let usage = "usage: desktop-bench-home <dir> [--messages N] [--prepare-only]";
    let mut dir = None;
    let mut messages = DEFAULT_MESSAGES;
    let mut prepare_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--messages" => {
                messages = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--messages needs a positive count\n{usage}"))?;
            }
            "--prepare-only" => prepare_only = true,
            _ if dir.is_none() && !arg.starts_with('-') => dir = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}\n{usage}")),
        }
    }
    Ok(Options {
        dir: dir.ok_or(usage)?,
        messages,
        prepare_only,
    })
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn Error>> {
    let options = options()?;
    let prepared = prepare::ensure(&options.dir, options.messages).await?;
    if options.prepare_only {
        return Ok(());
    }
    serve::serve(&options.dir, &prepared).await
}
