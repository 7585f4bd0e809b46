//! Running commands and reading test summaries.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs a command, inheriting stdio, and turns a non-zero exit into an error.
pub(crate) fn run(program: &str, args: &[&str]) -> Result<(), String> {
    run_in(None, program, args)
}

/// Like [`run`], in the directory `dir` when given.
pub(crate) fn run_in(dir: Option<&Path>, program: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("xtask: $ {program} {}", args.join(" "));
    let mut command = Command::new(program);
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let status = command
        .status()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} {} failed ({status})", args.join(" ")))
    }
}

/// Whether a command starts and exits successfully (its output discarded).
pub(crate) fn succeeds(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Passed and failed test counts, summed over the runners' summaries.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Tally {
    pub(crate) passed: u64,
    pub(crate) failed: u64,
}

impl Tally {
    /// Reads one output line of cargo test, vitest or the desktop
    /// end-to-end runner, and counts it if it is a summary line.
    fn count_line(&mut self, line: &str) {
        if let Some(rest) = line.strip_prefix("test result: ") {
            // cargo: "test result: ok. 12 passed; 0 failed; 1 ignored; ..."
            self.passed += count_before(rest, ';', " passed");
            self.failed += count_before(rest, ';', " failed");
        } else if let Some(rest) = line.trim_start().strip_prefix("Tests") {
            // vitest: "      Tests  31 passed (31)" or "Tests  1 failed | 30 passed (31)"
            if rest.starts_with(char::is_whitespace) {
                self.passed += count_before(rest, '|', " passed");
                self.failed += count_before(rest, '|', " failed");
            }
        } else if let Some(rest) = line.strip_prefix("desktop e2e: ") {
            // ours: "desktop e2e: 9 passed; 0 failed"
            self.passed += count_before(rest, ';', " passed");
            self.failed += count_before(rest, ';', " failed");
        }
    }

    /// Adds another tally.
    pub(crate) fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// Runs a test command in `dir`, echoing its output, and counts its summaries.
pub(crate) fn run_counting_tests(
    dir: Option<&Path>,
    program: &str,
    args: &[&str],
) -> Result<Tally, String> {
    eprintln!("xtask: $ {program} {}", args.join(" "));
    let mut command = Command::new(program);
    command.args(args).stdout(Stdio::piped());
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    let mut tally = Tally::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("reading test output: {e}"))?;
            println!("{line}");
            tally.count_line(&strip_ansi(&line));
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for {program}: {e}"))?;
    if status.success() {
        Ok(tally)
    } else {
        println!("{} passed, {} failed", tally.passed, tally.failed);
        Err(format!("{program} {} failed ({status})", args.join(" ")))
    }
}

/// The number just before `word` in one of the `separator`-separated parts of `line`.
fn count_before(line: &str, separator: char, word: &str) -> u64 {
    line.split(separator)
        .find_map(|part| {
            let part = part
                .trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ");
            let number = part.split(" (").next()?.strip_suffix(word)?;
            number.trim().parse().ok()
        })
        .unwrap_or(0)
}

/// Removes terminal colour sequences, which vitest prints even into a pipe.
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn counts_cargo_vitest_and_desktop_summaries() {
        let mut tally = Tally::default();
        tally.count_line("test result: ok. 12 passed; 1 failed; 1 ignored; 0 measured");
        tally.count_line("      Tests  3 failed | 30 passed (33)");
        tally.count_line("      Tests  7 passed (7)");
        tally.count_line("desktop e2e: 9 passed; 0 failed");
        tally.count_line("Test Files  4 passed (4)");
        assert_eq!((tally.passed, tally.failed), (58, 4));
    }
}
