//! Generates the Tauri context (configuration, capabilities, icons) with
//! an application manifest, so that each command needs a permission the
//! capability grants.
//!
//! The commands are named once, in `src/commands/list.rs`. From that list
//! come the manifest (an `allow-<command>` permission per command) and the
//! `main` window's capability, written here to `OUT_DIR`: it grants those
//! permissions and the two event permissions, nothing else, so the window
//! may call exactly the listed commands.

use std::fs;
use std::path::PathBuf;

/// Reads the command list as names only (`src/commands/mod.rs` reads it
/// whole: the commands, the invoke handler and the UI's `Commands`).
macro_rules! window_commands {
    ($(
        $(#[doc = $doc:literal])*
        $module:ident :: $command:ident ($($arguments:tt)*) -> $result:ty;
    )*) => {
        const COMMANDS: &[&str] = &[$(stringify!($command)),*];
    };
}

include!("src/commands/list.rs");

/// What the window may do besides calling the commands: listen to the
/// shell's events. No dialog, file system, shell or other plugin
/// permission: the shell opens file dialogs itself (`choose_file`).
const EVENT_PERMISSIONS: [&str; 2] = ["core:event:allow-listen", "core:event:allow-unlisten"];

/// The `main` window's capability (the identifier `tauri.conf.json` enables).
fn main_capability() -> serde_json::Value {
    let commands = COMMANDS
        .iter()
        .map(|command| format!("allow-{}", command.replace('_', "-")));
    let permissions: Vec<String> = commands
        .chain(EVENT_PERMISSIONS.map(str::to_owned))
        .collect();
    serde_json::json!({
        "identifier": "main",
        "description": "The main window: Liaison's own commands (src/commands/list.rs) and its events. Nothing else: file dialogs are opened by the shell (choose_file), never by the webview.",
        "windows": ["main"],
        "permissions": permissions,
    })
}

fn main() {
    let dist = std::path::Path::new("../ui/dist/index.html");
    println!("cargo:rerun-if-changed=../ui/dist");
    if !dist.is_file() {
        panic!(
            "ui/dist/index.html is missing: build the UI first \
             (`npm ci && npm run build` in ui/), then build liaison-desktop"
        );
    }
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        panic!("cargo sets OUT_DIR for build scripts; it is missing");
    };
    let capabilities = out_dir.join("capabilities");
    let written = fs::create_dir_all(&capabilities).and_then(|()| {
        let text = serde_json::to_string_pretty(&main_capability()).unwrap_or_default();
        fs::write(capabilities.join("main.json"), text)
    });
    if let Err(error) = written {
        panic!(
            "writing the capability to {}: {error}",
            capabilities.display()
        );
    }
    // tauri-build wants a `'static` pattern; the build script runs once.
    let pattern: &'static str =
        Box::leak(format!("{}/*.json", capabilities.display()).into_boxed_str());
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern(pattern)
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
