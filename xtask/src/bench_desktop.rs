//! `cargo xtask bench-desktop`: the desktop app's cold start and memory
//! (issue 4), measured in a real window under Xvfb by
//! `tests/desktop/bench.mjs`. Not part of `cargo xtask test`: a benchmark
//! reports numbers, it does not pass or fail on them.
//!
//! Options:
//! - `--with-debug`: also measure the debug build (the one `cargo xtask e2e`
//!   builds, so usually already there), in the same run.
//! - `--without-compositing`: also measure the release build with WebKit's
//!   accelerated compositing off (`WEBKIT_DISABLE_COMPOSITING_MODE=1`),
//!   which is where most of the web process's memory goes under Xvfb.
//! - `--runs N`: cold starts per build and profile (default 7).
//! - `--messages N`: messages in the seeded channel (default 100,000; each
//!   count has its own cached data).

use std::path::{Path, PathBuf};

use crate::desktop::{target_dir, tauri_driver};
use crate::process::run_in;

/// What the command line asks for.
struct Options {
    with_debug: bool,
    without_compositing: bool,
    runs: u32,
    messages: u32,
}

fn options(extra: &[String]) -> Result<Options, String> {
    let mut options = Options {
        with_debug: false,
        without_compositing: false,
        runs: 7,
        messages: 100_000,
    };
    let mut args = extra.iter();
    while let Some(arg) = args.next() {
        let mut number = |name: &str| {
            args.next()
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{name} needs a positive number"))
        };
        match arg.as_str() {
            "--with-debug" => options.with_debug = true,
            "--without-compositing" => options.without_compositing = true,
            "--runs" => options.runs = number("--runs")?,
            "--messages" => options.messages = number("--messages")?,
            other => {
                return Err(format!(
                    "bench-desktop: unknown option {other:?} \
                     (--with-debug, --without-compositing, --runs N, --messages N)"
                ));
            }
        }
    }
    Ok(options)
}

/// Builds the release app (and the debug one if asked), prepares the
/// benchmark's profiles once (cached in `target/bench-desktop/`), then runs
/// the benchmark in a virtual display with its own session bus. The UI must
/// be built first (the app embeds it).
pub(crate) fn bench_desktop(root: &Path, extra: &[String]) -> Result<(), String> {
    let options = options(extra)?;
    let driver = tauri_driver(root)?;
    let cargo = |args: &[&str]| run_in(Some(root), "cargo", args);
    // Users run release builds: the goal is judged on this one.
    cargo(&[
        "build",
        "--release",
        "--locked",
        "--package",
        "liaison-desktop",
    ])?;
    if options.with_debug {
        // The same features as the end-to-end test's build, so neither
        // rebuilds the other's binary.
        cargo(&[
            "build",
            "--locked",
            "--package",
            "liaison-desktop",
            "--features",
            "liaison-desktop/demo,liaison-desktop/e2e",
        ])?;
    }
    cargo(&[
        "build",
        "--release",
        "--locked",
        "--package",
        "liaison-demo",
        "--features",
        "bench-home",
        "--example",
        "desktop-bench-home",
    ])?;
    let target = target_dir(root);
    // Copies, so a build started meanwhile in the shared target directory
    // cannot swap a binary in the middle of the run.
    let bin = target.join("bench-desktop").join("bin");
    let snapshot = |from: PathBuf, name: &str| -> Result<PathBuf, String> {
        std::fs::create_dir_all(&bin).map_err(|e| format!("{}: {e}", bin.display()))?;
        let to = bin.join(name);
        std::fs::copy(&from, &to).map_err(|e| format!("copying {}: {e}", from.display()))?;
        Ok(to)
    };
    let tool = snapshot(
        target
            .join("release")
            .join("examples")
            .join("desktop-bench-home"),
        "desktop-bench-home",
    )?;
    let release = snapshot(
        target.join("release").join("liaison-desktop"),
        "liaison-desktop-release",
    )?;
    let debug = if options.with_debug {
        Some(snapshot(
            target.join("debug").join("liaison-desktop"),
            "liaison-desktop-debug",
        )?)
    } else {
        None
    };
    let data = target
        .join("bench-desktop")
        .join(format!("messages-{}", options.messages));
    let messages = options.messages.to_string();
    // Minutes the first time (seeding 100,000 messages), nothing after.
    run_in(
        Some(root),
        &tool.to_string_lossy(),
        &[
            &data.to_string_lossy(),
            "--messages",
            &messages,
            "--prepare-only",
        ],
    )?;

    let runner = root.join("tests").join("desktop");
    crate::ui::install_packages(&runner)?;
    let mut apps = format!("release={}", release.display());
    if options.without_compositing {
        apps.push_str(&format!(
            ",release-no-compositing={};WEBKIT_DISABLE_COMPOSITING_MODE=1",
            release.display()
        ));
    }
    if let Some(debug) = debug {
        apps.push_str(&format!(",debug={}", debug.display()));
    }
    let report = target.join("bench-desktop").join("report.json");
    let script = format!(
        "LIAISON_BENCH_DRIVER='{}' LIAISON_BENCH_APPS='{apps}' LIAISON_BENCH_HOME_TOOL='{}' \
         LIAISON_BENCH_DATA='{}' LIAISON_BENCH_MESSAGES='{messages}' LIAISON_BENCH_RUNS='{}' \
         LIAISON_BENCH_REPORT='{}' \
         xvfb-run -a -s '-screen 0 1280x800x24' node bench.mjs",
        driver.display(),
        tool.display(),
        data.display(),
        options.runs,
        report.display(),
    );
    run_in(
        Some(&runner),
        "dbus-run-session",
        &["--", "sh", "-c", &script],
    )?;
    eprintln!("xtask: the report's data is in {}", report.display());
    Ok(())
}
