//! Generates the Tauri context (configuration, capabilities, icons) with
//! an application manifest, so that each command needs a permission the
//! capability grants (see `capabilities/main.json`).

include!("src/commands/names.rs");

fn main() {
    let dist = std::path::Path::new("../ui/dist/index.html");
    println!("cargo:rerun-if-changed=../ui/dist");
    if !dist.is_file() {
        panic!(
            "ui/dist/index.html is missing: build the UI first \
             (`npm ci && npm run build` in ui/), then build liaison-desktop"
        );
    }
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
