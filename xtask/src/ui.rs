//! The Svelte front end: dependencies, linters, component tests, build.

use std::path::{Path, PathBuf};

use crate::process::{Tally, run_counting_tests, run_in};

/// The `ui/` directory of the workspace.
pub(crate) fn dir(root: &Path) -> PathBuf {
    root.join("ui")
}

/// Installs the exact dependencies of `package-lock.json` (npm's cache makes
/// a repeat cheap) in `dir`.
pub(crate) fn install_packages(dir: &Path) -> Result<(), String> {
    run_in(
        Some(dir),
        "npm",
        &["ci", "--no-audit", "--no-fund", "--loglevel=error"],
    )
}

/// Builds `ui/dist`, which the desktop crate embeds at compile time.
pub(crate) fn build(root: &Path) -> Result<(), String> {
    let ui = dir(root);
    install_packages(&ui)?;
    run_in(Some(&ui), "npm", &["run", "build"])
}

/// prettier and eslint, svelte-check, then the vitest component tests.
pub(crate) fn check_and_test(root: &Path) -> Result<Tally, String> {
    let ui = dir(root);
    run_in(Some(&ui), "npm", &["run", "lint"])?;
    run_in(Some(&ui), "npm", &["run", "check"])?;
    run_counting_tests(Some(&ui), "npm", &["test"])
}
