//! Project automation for Liaison.
//!
//! `cargo xtask test` is the one command CI runs: it installs the system
//! packages the build and the tests need (idempotently), then runs rustfmt,
//! clippy with `-D warnings` and every test, the keyring tests against a real
//! Secret Service (gnome-keyring under `dbus-run-session`).
//!
//! `cargo xtask demo` runs `liaison demo`: a local relay and a scripted
//! partnership (until the desktop app exists).
//! `cargo xtask bench` runs the criterion benchmarks.

use std::process::{Command, ExitCode};

/// Debian packages needed to build the workspace and run its tests.
const SYSTEM_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libdbus-1-dev",
    "dbus",
    "gnome-keyring",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("demo") => demo(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("deps") => install_system_packages(),
        _ => {
            eprintln!("usage: cargo xtask <test|demo|bench|deps>");
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

/// Runs a command, inheriting stdio, and turns a non-zero exit into an error.
fn run(program: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("xtask: $ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .status()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} {} failed ({status})", args.join(" ")))
    }
}

fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs whatever of [`SYSTEM_PACKAGES`] is missing; does nothing when all are there.
fn install_system_packages() -> Result<(), String> {
    if Command::new("dpkg-query")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "xtask: not a Debian-like system; install the equivalent of {SYSTEM_PACKAGES:?} by hand"
        );
        return Ok(());
    }
    let missing: Vec<&str> = SYSTEM_PACKAGES
        .iter()
        .copied()
        .filter(|p| !is_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing system packages: {}", missing.join(" "));
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| -> Result<(), String> {
        let mut full: Vec<&str> = sudo.to_vec();
        full.push("apt-get");
        full.extend_from_slice(args);
        let (program, rest) = full.split_first().ok_or("empty command")?;
        run(program, rest)
    };
    apt(&["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend(missing.iter().copied());
    apt(&install)
}

fn test() -> Result<(), String> {
    install_system_packages()?;
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
    // Build the tests outside the D-Bus session so compile output is not interleaved.
    run("cargo", &["test", "--workspace", "--locked", "--no-run"])?;
    // The keyring tests need a real Secret Service: gnome-keyring inside a
    // private session bus, with its keyrings in a fresh directory so a
    // keyring left by an earlier run (with another password) cannot be in
    // the way.
    let script = "export XDG_DATA_HOME=\"$(mktemp -d)\" \
                  && printf %s liaison-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
                  && LIAISON_SECRET_SERVICE=1 cargo test --workspace --locked";
    let (passed, failed) = run_counting_tests("dbus-run-session", &["--", "sh", "-c", script])?;
    // One plain closing line for CI, whatever cargo printed last.
    println!("{passed} passed, {failed} failed");
    Ok(())
}

/// Runs a test command, echoing its output, and sums cargo's
/// "test result: ok. N passed; M failed" lines.
fn run_counting_tests(program: &str, args: &[&str]) -> Result<(u64, u64), String> {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    eprintln!("xtask: $ {program} {}", args.join(" "));
    let mut child = Command::new(program)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    let (mut passed, mut failed) = (0, 0);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("reading test output: {e}"))?;
            println!("{line}");
            if let Some(rest) = line.strip_prefix("test result: ") {
                passed += count_before(rest, " passed");
                failed += count_before(rest, " failed");
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for {program}: {e}"))?;
    if status.success() {
        Ok((passed, failed))
    } else {
        println!("{passed} passed, {failed} failed");
        Err(format!("{program} {} failed ({status})", args.join(" ")))
    }
}

/// The number just before `word` in a cargo test summary line.
fn count_before(line: &str, word: &str) -> u64 {
    line.split(';')
        .find_map(|part| {
            let part = part
                .trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ");
            part.strip_suffix(word)?.trim().parse().ok()
        })
        .unwrap_or(0)
}

fn demo(extra: &[String]) -> Result<(), String> {
    install_system_packages()?;
    let mut args = vec!["run", "--quiet", "--package", "liaison-cli", "--", "demo"];
    args.extend(extra.iter().map(String::as_str));
    run("cargo", &args)
}

fn bench(extra: &[String]) -> Result<(), String> {
    install_system_packages()?;
    let mut args = vec!["bench", "--package", "liaison-core"];
    args.extend(extra.iter().map(String::as_str));
    run("cargo", &args)
}
