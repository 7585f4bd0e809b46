//! Project automation for Liaison.
//!
//! `cargo xtask test` is the one command CI runs: it installs the system
//! packages and npm packages the build and the tests need (idempotently),
//! then runs rustfmt, clippy with `-D warnings`, the UI's prettier, eslint,
//! svelte-check and vitest, every Rust test (the keyring tests against a real
//! Secret Service: gnome-keyring under `dbus-run-session`), and the desktop
//! end-to-end test in a real window under Xvfb.
//!
//! `cargo xtask demo` launches the desktop app in demo mode: a local relay
//! and scripted partner officers who answer.
//! `cargo xtask bench` runs the criterion benchmarks.
//! `cargo xtask soak` soaks the relay: 1,000 clients for 10 minutes of
//! mixed traffic with reconnections, its memory sampled over time
//! (docs/performance.md); arguments pass through to the bench.
//! `cargo xtask bench-desktop` measures the desktop app's cold start and
//! memory with a 100,000-message channel (docs/performance.md).
//! `cargo xtask fuzz` fuzzes the decoders of network and file input
//! (docs/security.md); `test` runs each fuzz target for a few seconds.
//! `cargo xtask contract` regenerates the window contract's TypeScript
//! types (`ui/src/lib/api/generated/`) from the Rust types of liaison-desk;
//! `test` fails while the committed ones are stale.

mod bench_desktop;
mod desktop;
mod fuzz;
mod process;
mod system;
mod ui;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use process::{run, run_counting_tests};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(&root),
        Some("e2e") => system::install()
            .and_then(|()| crate::ui::build(&root))
            .and_then(|()| desktop::end_to_end(&root))
            .map(|tally| println!("{} passed, {} failed", tally.passed, tally.failed)),
        Some("demo") => system::install().and_then(|()| desktop::demo(&root, &args[1..])),
        Some("bench") => bench(&args[1..]),
        Some("soak") => soak(&args[1..]),
        Some("bench-desktop") => system::install()
            .and_then(|()| crate::ui::build(&root))
            .and_then(|()| bench_desktop::bench_desktop(&root, &args[1..])),
        Some("deps") => system::install(),
        Some("fuzz") => fuzz::fuzz(&root, &args[1..]),
        Some("contract") => contract(),
        _ => {
            eprintln!(
                "usage: cargo xtask <test|e2e|demo|bench|bench-desktop|soak|deps|fuzz|contract>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn test(root: &Path) -> Result<(), String> {
    system::install()?;
    // The desktop crate embeds ui/dist at compile time, so the UI is built first.
    ui::build(root)?;
    let mut tally = ui::check_and_test(root)?;
    run("cargo", &["fmt", "--all", "--check"])?;
    run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // Demo mode and the end-to-end test's scripted file dialogs are
    // features of the desktop crate (off in deployment builds).
    run(
        "cargo",
        &[
            "clippy",
            "--package",
            "liaison-desktop",
            "--features",
            "demo,e2e",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // Build the tests outside the D-Bus session so compile output is not interleaved.
    run("cargo", &["test", "--workspace", "--locked", "--no-run"])?;
    // The keyring tests need a real Secret Service: gnome-keyring inside a
    // private session bus, with its keyrings in a fresh directory so a
    // keyring left by an earlier run (with another password) cannot be in
    // the way.
    let script = "export XDG_DATA_HOME=\"$(mktemp -d)\" \
                  && printf %s liaison-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
                  && LIAISON_SECRET_SERVICE=1 cargo test --workspace --locked";
    tally.add(run_counting_tests(
        None,
        "dbus-run-session",
        &["--", "sh", "-c", script],
    )?);
    tally.add(fuzz::smoke(root)?);
    tally.add(desktop::end_to_end(root)?);
    // One plain closing line for CI, whatever the runners printed last.
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// Rewrites the window contract's generated TypeScript: the tests that
/// check it, told to write it instead. liaison-desk writes the types and
/// the events (`crates/liaison-desk/src/contract.rs`), the shell the
/// commands (`src-tauri/src/commands/contract.rs`; it needs the UI built).
fn contract() -> Result<(), String> {
    let writers = [
        (
            "liaison-desk",
            "contract::the_generated_typescript_is_what_the_rust_types_give",
        ),
        (
            "liaison-desktop",
            "commands::contract::tests::the_generated_commands_are_what_the_command_list_gives",
        ),
    ];
    for (package, test) in writers {
        let args = [
            "test",
            "--package",
            package,
            "--lib",
            "--locked",
            "--",
            test,
            "--exact",
        ];
        eprintln!("xtask: $ LIAISON_WRITE_CONTRACT=1 cargo {}", args.join(" "));
        let status = std::process::Command::new("cargo")
            .args(args)
            .env("LIAISON_WRITE_CONTRACT", "1")
            .status()
            .map_err(|e| format!("could not start cargo: {e}"))?;
        if !status.success() {
            return Err(format!("writing the contract failed ({status})"));
        }
    }
    Ok(())
}

/// The relay's soak bench (`crates/liaison-relay/benches/soak/`), built in
/// release with the relay binary it runs as a separate process. It needs
/// no system packages: it is Rust on loopback only.
fn soak(extra: &[String]) -> Result<(), String> {
    let mut args = vec![
        "bench",
        "--package",
        "liaison-relay",
        "--bench",
        "soak",
        "--locked",
        "--",
    ];
    args.extend(extra.iter().map(String::as_str));
    run("cargo", &args)
}

fn bench(extra: &[String]) -> Result<(), String> {
    system::install()?;
    let mut args = vec!["bench", "--package", "liaison-core"];
    args.extend(extra.iter().map(String::as_str));
    run("cargo", &args)
}
