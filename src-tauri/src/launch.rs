//! How the app was started: demo mode and where the data and the relay
//! are, from the command line and the environment.
//!
//! - `--demo` or `LIAISON_DEMO=1`: demo mode (needs the `demo` feature).
//! - `LIAISON_HOME`: the data directory (else the platform's app data
//!   directory; demo mode uses its `demo/` subdirectory).
//! - `LIAISON_RELAY_URL`: the relay, overriding the settings.
//! - `LIAISON_RELAY_CA`: a PEM file of relay certificates to trust instead
//!   of the system roots.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use liaison_core::RelayTrust;
use liaison_desk::DeskConfig;

/// The launch options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Launch {
    /// Demo mode.
    pub demo: bool,
    /// `LIAISON_HOME`.
    pub home: Option<PathBuf>,
    /// `LIAISON_RELAY_URL`.
    pub relay_url: Option<String>,
    /// `LIAISON_RELAY_CA`.
    pub relay_ca: Option<PathBuf>,
}

impl Launch {
    /// Reads the options from arguments (without the program name) and
    /// an environment lookup.
    pub fn from(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<OsString>,
    ) -> Self {
        let set = |name: &str| env(name).filter(|v| !v.is_empty());
        Self {
            demo: args.into_iter().any(|a| a == "--demo")
                || set("LIAISON_DEMO").is_some_and(|v| v != "0"),
            home: set("LIAISON_HOME").map(PathBuf::from),
            relay_url: set("LIAISON_RELAY_URL").and_then(|v| v.into_string().ok()),
            relay_ca: set("LIAISON_RELAY_CA").map(PathBuf::from),
        }
    }

    /// The options of this process.
    pub fn from_process() -> Self {
        Self::from(std::env::args().skip(1), |name| std::env::var_os(name))
    }

    /// The data directory: `LIAISON_HOME`, else `platform_dir`; demo mode
    /// keeps its own `demo/` inside, so it never touches a real profile.
    pub fn home(&self, platform_dir: &Path) -> PathBuf {
        let base = self
            .home
            .clone()
            .unwrap_or_else(|| platform_dir.to_path_buf());
        if self.demo { base.join("demo") } else { base }
    }

    /// The desk configuration these options describe.
    pub fn desk_config(&self, platform_dir: &Path) -> Result<DeskConfig, String> {
        let mut config = DeskConfig::new(self.home(platform_dir));
        config.demo = self.demo;
        config.relay_url = self.relay_url.clone();
        if let Some(path) = &self.relay_ca {
            config.relay_trust = Some(
                RelayTrust::from_pem_file(path)
                    .map_err(|e| format!("LIAISON_RELAY_CA {}: {e}", path.display()))?,
            );
        }
        Ok(config)
    }
}
