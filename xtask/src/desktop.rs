//! The desktop app: launching it in demo mode, and its end-to-end test in a
//! real window under Xvfb, driven through tauri-driver and WebKitWebDriver.

use std::path::{Path, PathBuf};

use crate::process::{Tally, run, run_counting_tests, run_in};

/// Where the workspace's build output goes.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// Installs tauri-driver into `target/tools` once; later runs find it there.
pub(crate) fn tauri_driver(root: &Path) -> Result<PathBuf, String> {
    let tools = target_dir(root).join("tools");
    let binary = tools.join("bin").join("tauri-driver");
    if !binary.exists() {
        let tools_arg = tools.to_string_lossy().into_owned();
        run(
            "cargo",
            &[
                "install",
                "--quiet",
                "--locked",
                "tauri-driver",
                "--version",
                "2.1.0",
                "--root",
                &tools_arg,
            ],
        )?;
    }
    Ok(binary)
}

/// Builds the app, the command line and the relay, then runs
/// `tests/desktop/run.mjs` in a virtual display with its own session bus.
pub(crate) fn end_to_end(root: &Path) -> Result<Tally, String> {
    let driver = tauri_driver(root)?;
    run(
        "cargo",
        &[
            "build",
            "--locked",
            "--package",
            "liaison-desktop",
            // `e2e`: the file dialogs answer from the test's queue
            // (LIAISON_E2E_DIALOG_ANSWERS), since WebDriver cannot reach them.
            "--features",
            "liaison-desktop/demo,liaison-desktop/e2e",
            "--package",
            "liaison-cli",
            "--package",
            "liaison-relay",
        ],
    )?;
    let runner = root.join("tests").join("desktop");
    crate::ui::install_packages(&runner)?;
    let bin_dir = target_dir(root).join("debug");
    let screenshots = root.join("docs").join("screenshots");
    let script = format!(
        // An unlocked gnome-keyring on the private bus (its keyrings in a
        // fresh directory): the imported profile is keyring-protected with a PIN.
        "printf %s liaison-test | XDG_DATA_HOME=\"$(mktemp -d)\" \
         gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
         LIAISON_E2E_BIN_DIR='{}' LIAISON_E2E_DRIVER='{}' LIAISON_E2E_SCREENSHOTS='{}' \
         xvfb-run -a -s '-screen 0 1280x800x24' node run.mjs",
        bin_dir.display(),
        driver.display(),
        screenshots.display()
    );
    run_counting_tests(
        Some(&runner),
        "dbus-run-session",
        &["--", "sh", "-c", &script],
    )
}

/// Builds the UI and starts the desktop app in demo mode.
pub(crate) fn demo(root: &Path, extra: &[String]) -> Result<(), String> {
    crate::ui::build(root)?;
    let mut args = vec![
        "run",
        "--quiet",
        "--package",
        "liaison-desktop",
        "--features",
        "demo",
        "--",
        "--demo",
    ];
    args.extend(extra.iter().map(String::as_str));
    run_in(Some(root), "cargo", &args)
}
