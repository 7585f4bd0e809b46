//! System packages: what the workspace, the desktop app and its end-to-end
//! tests need from Debian or Ubuntu, installed only when missing.

use crate::process::{run, succeeds};

/// Debian packages needed to build the workspace and run every test.
const SYSTEM_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "curl",
    "file",
    "libssl-dev",
    "libdbus-1-dev",
    "dbus",
    "dbus-x11",
    "gnome-keyring",
    // Tauri 2 on Linux (WebKitGTK 4.1).
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libxdo-dev",
    // The desktop end-to-end test: a virtual display and WebKit's WebDriver.
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
];

fn is_installed(package: &str) -> bool {
    std::process::Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs whatever of [`SYSTEM_PACKAGES`] is missing; does nothing when all are there.
pub(crate) fn install() -> Result<(), String> {
    if !succeeds("dpkg-query", &["--version"]) {
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
