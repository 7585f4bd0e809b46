//! Fuzzing the decoders of network and file input (`fuzz/`, documented in
//! docs/security.md, "Fuzzing").
//!
//! `cargo xtask fuzz [--seconds N] [TARGET...]` fuzzes each target (all by
//! default) for N seconds (60 by default) and prints, per target, the
//! executions, the coverage and what was found. `cargo xtask fuzz seeds`
//! rewrites the committed seed inputs (`fuzz/seeds/<target>/`).
//! `cargo xtask test` calls [`smoke`] (alone: `cargo xtask fuzz smoke`):
//! every target for a few seconds.
//!
//! cargo-fuzz is installed into `target/tools` on first use (CI starts from
//! a machine with only the stable and nightly toolchains). The targets are
//! built once per run into `fuzz/target`, with `--sanitizer none`, and the
//! libFuzzer binaries are then run directly. Liaison forbids `unsafe`, so
//! AddressSanitizer would mostly watch dependencies, at a cost CI's two
//! cores cannot pay. A campaign builds with `-O`: the release profile of
//! `fuzz/Cargo.toml`, with debug assertions and overflow checks in
//! Liaison's own crates. The smoke run builds with `--dev` (no optimisation:
//! a third of the compile time; slower runs do not matter for 3 s), with
//! overflow checks everywhere and debug assertions nowhere (tls_codec's
//! panic on truncated input, which release builds do not have). Before
//! fuzzing, a target replays every input in `fuzz/regressions/<target>/`:
//! inputs that once crashed it.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::desktop::target_dir;
use crate::process::{Tally, run};

/// The cargo-fuzz release installed into `target/tools`.
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// Seconds per target in `cargo xtask test`.
const SMOKE_SECONDS: u64 = 3;
/// Seconds per target in `cargo xtask fuzz` without `--seconds`.
const DEFAULT_SECONDS: u64 = 60;
/// The toolchain cargo-fuzz needs (`-Z` flags, sanitizer coverage).
const NIGHTLY: &str = "+nightly";

/// `cargo xtask fuzz [--seconds N] [TARGET...]`, `cargo xtask fuzz smoke`
/// and `cargo xtask fuzz seeds`.
pub(crate) fn fuzz(root: &Path, args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("seeds") => return seeds(root),
        Some("smoke") => return smoke(root).map(|_| ()),
        _ => {}
    }
    let mut seconds = DEFAULT_SECONDS;
    let mut wanted = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--seconds needs a whole number of seconds")?;
            }
            name if name.starts_with('-') => {
                return Err(format!(
                    "unknown option {name}; usage: cargo xtask fuzz [--seconds N] [TARGET...] | smoke | seeds"
                ));
            }
            name => wanted.push(name.to_owned()),
        }
    }
    let fuzz = Fuzz::prepare(root, Build::Campaign)?;
    let targets = fuzz.select(&wanted)?;
    fuzz.build()?;
    let mut failed = Vec::new();
    for target in &targets {
        match fuzz.run_target(target, seconds, false) {
            Ok(stats) => println!("{}", stats.line(target)),
            Err(message) => {
                eprintln!("xtask: {message}");
                failed.push(target.as_str());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzz targets failed: {}", failed.join(", ")))
    }
}

/// The smoke run of `cargo xtask test` (and `cargo xtask fuzz smoke`):
/// builds every target, then replays each one's regression inputs and
/// fuzzes it for [`SMOKE_SECONDS`] from its seeds (in a scratch corpus, so
/// the run does not depend on earlier campaigns). Every target runs even
/// when one fails; the run fails if any did.
pub(crate) fn smoke(root: &Path) -> Result<Tally, String> {
    let started = Instant::now();
    let fuzz = Fuzz::prepare(root, Build::Smoke)?;
    let targets = fuzz.select(&[])?;
    fuzz.build()?;
    let built = started.elapsed();
    let mut tally = Tally::default();
    let mut failed = Vec::new();
    for target in &targets {
        match fuzz.run_target(target, SMOKE_SECONDS, true) {
            Ok(stats) => {
                println!("{}", stats.line(target));
                tally.passed += 1;
            }
            Err(message) => {
                eprintln!("xtask: {message}");
                tally.failed += 1;
                failed.push(target.as_str());
            }
        }
    }
    println!(
        "fuzz smoke: {} targets in {:.0} s (build {:.0} s), {} failed",
        targets.len(),
        started.elapsed().as_secs_f64(),
        built.as_secs_f64(),
        failed.len()
    );
    if failed.is_empty() {
        Ok(tally)
    } else {
        Err(format!("fuzz smoke failed: {}", failed.join(", ")))
    }
}

/// `cargo xtask fuzz seeds`: runs `fuzz/examples/seeds.rs`.
fn seeds(root: &Path) -> Result<(), String> {
    let fuzz = Fuzz::prepare(root, Build::Smoke)?;
    let seeds = fuzz.dir.join("seeds");
    let manifest = fuzz.dir.join("Cargo.toml");
    let status = fuzz
        .command("cargo")
        .arg(NIGHTLY)
        .args(["run", "--quiet", "--example", "seeds", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&fuzz.target_dir)
        .arg("--")
        .arg(&seeds)
        .status()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("writing the fuzz seeds failed ({status})"))
    }
}

/// How the targets are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Build {
    /// `--dev`: quick to build, for a few seconds per target.
    Smoke,
    /// `-O`: quick to run, for long campaigns.
    Campaign,
}

/// cargo-fuzz installed and the paths of one fuzzing run.
struct Fuzz {
    build: Build,
    /// `fuzz/`.
    dir: PathBuf,
    /// `fuzz/target`: the fuzz crate's own build directory.
    target_dir: PathBuf,
    /// `PATH` with `target/tools/bin` first, so `cargo fuzz` finds cargo-fuzz.
    path: OsString,
    /// The host triple (cargo-fuzz builds for it, in its own subdirectory).
    host: String,
}

impl Fuzz {
    /// Installs cargo-fuzz if missing, checks the nightly toolchain, and
    /// starts the fuzz crate's lock file from the workspace's, so that both
    /// build the same dependency versions.
    fn prepare(root: &Path, build: Build) -> Result<Self, String> {
        let host = nightly_host()?;
        let tools = target_dir(root).join("tools");
        let bin = tools.join("bin");
        if !bin.join("cargo-fuzz").exists() {
            let root_arg = tools.to_string_lossy().into_owned();
            run(
                "cargo",
                &[
                    "install",
                    "--quiet",
                    "--locked",
                    "cargo-fuzz",
                    "--version",
                    CARGO_FUZZ_VERSION,
                    "--root",
                    &root_arg,
                ],
            )?;
        }
        let mut paths = vec![bin];
        if let Some(path) = std::env::var_os("PATH") {
            paths.extend(std::env::split_paths(&path));
        }
        let path = std::env::join_paths(paths).map_err(|e| format!("PATH: {e}"))?;
        let dir = root.join("fuzz");
        let lock = dir.join("Cargo.lock");
        if !lock.exists() {
            fs::copy(root.join("Cargo.lock"), &lock)
                .map_err(|e| format!("starting {}: {e}", lock.display()))?;
        }
        Ok(Self {
            build,
            target_dir: dir.join("target"),
            dir,
            path,
            host,
        })
    }

    /// A command with this run's `PATH`, and without `CARGO_TARGET_DIR`,
    /// which would send the fuzz build into the workspace's target directory.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(&self.dir)
            .env("PATH", &self.path)
            .env_remove("CARGO_TARGET_DIR");
        command
    }

    /// The targets (`fuzz/fuzz_targets/*.rs`), or those named, checked.
    fn select(&self, wanted: &[String]) -> Result<Vec<String>, String> {
        let dir = self.dir.join("fuzz_targets");
        let mut all: Vec<String> = fs::read_dir(&dir)
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                (path.extension()? == "rs").then_some(())?;
                Some(path.file_stem()?.to_str()?.to_owned())
            })
            .collect();
        all.sort();
        if wanted.is_empty() {
            return Ok(all);
        }
        for name in wanted {
            if !all.contains(name) {
                return Err(format!(
                    "no fuzz target {name}; the targets are: {}",
                    all.join(", ")
                ));
            }
        }
        Ok(wanted.to_vec())
    }

    /// Builds every target once (cargo does nothing when all is fresh).
    fn build(&self) -> Result<(), String> {
        let target_dir = self.target_dir.to_string_lossy().into_owned();
        let profile = match self.build {
            Build::Smoke => "--dev",
            Build::Campaign => "-O",
        };
        let args = [
            NIGHTLY,
            "fuzz",
            "build",
            profile,
            "--sanitizer",
            "none",
            "--target",
            &self.host,
            "--target-dir",
            &target_dir,
        ];
        let mut command = self.command("cargo");
        command.args(args);
        if self.build == Build::Smoke {
            // cargo-fuzz turns debug assertions on for every crate of a dev
            // build and appends RUSTFLAGS to its own flags: the last wins.
            let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
            flags.push_str(" -Cdebug-assertions=off -Coverflow-checks=on");
            command.env("RUSTFLAGS", flags.trim_start());
        }
        eprintln!("xtask: $ cargo {}", args.join(" "));
        let status = command
            .status()
            .map_err(|e| format!("could not start cargo: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("building the fuzz targets failed ({status})"))
        }
    }

    fn binary(&self, target: &str) -> PathBuf {
        let profile = match self.build {
            Build::Smoke => "debug",
            Build::Campaign => "release",
        };
        self.target_dir.join(&self.host).join(profile).join(target)
    }

    /// Replays the target's regression inputs, then fuzzes it for `seconds`
    /// from its seeds and its corpus (a scratch one for a smoke run). A
    /// crash leaves the input in `fuzz/artifacts/<target>/`.
    fn run_target(&self, target: &str, seconds: u64, smoke: bool) -> Result<Stats, String> {
        let binary = self.binary(target);
        let artifacts = self.dir.join("artifacts").join(target);
        fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
        let log = artifacts.join(if smoke { "smoke.log" } else { "run.log" });

        let regressions = files_in(&self.dir.join("regressions").join(target));
        if !regressions.is_empty() {
            let mut args: Vec<OsString> = vec!["-timeout=10".into()];
            args.extend(regressions.iter().map(|p| p.as_os_str().to_owned()));
            let replay = artifacts.join("regressions.log");
            self.libfuzzer(&binary, &args, &replay).map_err(|e| {
                format!(
                    "{target}: a regression input fails it again ({e}); see {}",
                    replay.display()
                )
            })?;
        }

        let corpus = if smoke {
            let scratch = self.target_dir.join("smoke-corpus").join(target);
            let _ = fs::remove_dir_all(&scratch);
            scratch
        } else {
            self.dir.join("corpus").join(target)
        };
        fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let mut prefix = artifacts.into_os_string();
        prefix.push("/");
        let mut args: Vec<OsString> = vec![
            format!("-max_total_time={seconds}").into(),
            "-timeout=10".into(),
            "-rss_limit_mb=2048".into(),
            "-print_final_stats=1".into(),
        ];
        let mut artifact_prefix = OsString::from("-artifact_prefix=");
        artifact_prefix.push(&prefix);
        args.push(artifact_prefix);
        args.push(corpus.into_os_string());
        let seeds = self.dir.join("seeds").join(target);
        if seeds.is_dir() {
            args.push(seeds.into_os_string());
        }
        let started = Instant::now();
        let output = self.libfuzzer(&binary, &args, &log).map_err(|e| {
            format!(
                "{target} failed ({e}); the input is in {}, the log in {}",
                Path::new(&prefix).display(),
                log.display()
            )
        })?;
        Ok(Stats::read(&output, started.elapsed()))
    }

    /// Runs a libFuzzer binary with its output in `log`; returns the output,
    /// or the end of it in the error when the binary fails.
    fn libfuzzer(&self, binary: &Path, args: &[OsString], log: &Path) -> Result<String, String> {
        let file = fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = file
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let status = self
            .command(binary)
            .args(args)
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(err)
            .status()
            .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
        let output = fs::read_to_string(log).unwrap_or_default();
        if status.success() {
            return Ok(output);
        }
        let lines: Vec<&str> = output.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n");
        eprintln!("{tail}");
        Err(status.to_string())
    }
}

/// The nightly toolchain's host triple; an error if nightly is missing.
fn nightly_host() -> Result<String, String> {
    let output = Command::new("rustc")
        .args([NIGHTLY, "-vV"])
        .output()
        .map_err(|e| format!("could not start rustc: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .filter(|_| output.status.success())
        .ok_or_else(|| {
            "fuzzing needs the nightly toolchain: rustup toolchain install nightly".to_owned()
        })
}

/// The files directly in `dir`, sorted; none when it does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// What libFuzzer reported at the end of a run.
#[derive(Debug, Default, PartialEq)]
struct Stats {
    executions: u64,
    per_second: u64,
    coverage: u64,
    features: u64,
    corpus: u64,
    new_units: u64,
    peak_rss_mb: u64,
    elapsed: Duration,
}

impl Stats {
    /// Reads `-print_final_stats=1` and the last status line (`cov: N ft: N corp: N/…`).
    fn read(output: &str, elapsed: Duration) -> Self {
        let mut stats = Stats {
            elapsed,
            ..Stats::default()
        };
        for line in output.lines() {
            if let Some((name, value)) = line.strip_prefix("stat::").and_then(|l| l.split_once(':'))
            {
                let value = value.trim().parse().unwrap_or(0);
                match name {
                    "number_of_executed_units" => stats.executions = value,
                    "average_exec_per_sec" => stats.per_second = value,
                    "new_units_added" => stats.new_units = value,
                    "peak_rss_mb" => stats.peak_rss_mb = value,
                    _ => {}
                }
            } else if line.starts_with('#') && line.contains(" cov: ") {
                let field = |name: &str| {
                    line.split_whitespace()
                        .skip_while(|word| *word != name)
                        .nth(1)
                        .and_then(|v| v.split('/').next())
                        .and_then(|v| v.parse().ok())
                };
                stats.coverage = field("cov:").unwrap_or(stats.coverage);
                stats.features = field("ft:").unwrap_or(stats.features);
                stats.corpus = field("corp:").unwrap_or(stats.corpus);
            }
        }
        stats
    }

    fn line(&self, target: &str) -> String {
        format!(
            "fuzz {target}: {} runs in {:.0} s ({}/s), cov {} ft {}, corpus {} (+{} new), peak {} MB, no crash",
            self.executions,
            self.elapsed.as_secs_f64(),
            self.per_second,
            self.coverage,
            self.features,
            self.corpus,
            self.new_units,
            self.peak_rss_mb
        )
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Stats;

    #[test]
    fn reads_libfuzzer_final_stats_and_last_status_line() {
        let output = "INFO: Seed: 1\n\
            #2\tINITED cov: 10 ft: 12 corp: 1/1b exec/s: 0 rss: 30Mb\n\
            #4096\tpulse  cov: 321 ft: 654 corp: 45/1234b lim: 43 exec/s: 1365 rss: 41Mb\n\
            #9000\tDONE   cov: 330 ft: 700 corp: 50/2kb lim: 60 exec/s: 3000 rss: 42Mb\n\
            Done 9000 runs in 3 second(s)\n\
            stat::number_of_executed_units: 9000\n\
            stat::average_exec_per_sec:     3000\n\
            stat::new_units_added:          49\n\
            stat::slowest_unit_time_sec:    0\n\
            stat::peak_rss_mb:              42\n";
        let stats = Stats::read(output, Duration::from_secs(3));
        assert_eq!(
            stats,
            Stats {
                executions: 9000,
                per_second: 3000,
                coverage: 330,
                features: 700,
                corpus: 50,
                new_units: 49,
                peak_rss_mb: 42,
                elapsed: Duration::from_secs(3),
            }
        );
    }
}
