//! The Liaison desktop shell: Tauri glue over `liaison_desk`.
//!
//! It holds no keys, no MLS state and no database handle of its own: the
//! desk in `liaison-desk` does, and the window receives only view models
//! (commands) and small event payloads. See `docs/desktop.md`.

mod commands;
#[cfg(feature = "demo")]
mod demo;
mod dialogs;
mod events;
mod launch;
mod state;
mod webview;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use liaison_desk::Desk;
use tauri::{Manager as _, RunEvent, Runtime};

pub use commands::COMMANDS;
pub use events::{EventBridge, notification_text};
pub use launch::Launch;
pub use state::DeskState;

/// Registers every command (`src/commands/list.rs`) on a builder (the
/// app's, or the mock runtime's in tests).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(commands::handler())
}

/// Builds the desk state for this launch inside the app's setup.
fn setup<R: Runtime>(
    app: &mut tauri::App<R>,
    launch: &Launch,
    bridge: &Arc<EventBridge<R>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let platform_dir = app.path().app_data_dir()?;
    let mut config = launch.desk_config(&platform_dir)?;
    config.events = bridge.sink();
    #[cfg(feature = "demo")]
    let demo = if launch.demo {
        Some(demo::start(&mut config)?)
    } else {
        None
    };
    #[cfg(feature = "e2e")]
    dialogs::scripted::install(app)?;
    let desk = Arc::new(Desk::new(config));
    bridge.attach(app.handle().clone(), Arc::clone(&desk));
    let state = DeskState::new(Arc::clone(&desk));
    #[cfg(feature = "demo")]
    let state = match demo {
        Some(demo) => {
            let hook = demo.welcome_hook(Arc::clone(&desk));
            app.manage(demo);
            state.on_profile_created(hook)
        }
        None => state,
    };
    app.manage(state);
    if let Some(window) = app.get_webview_window("main") {
        webview::restrict(&window);
    }
    Ok(())
}

/// Runs the desktop app.
pub fn run() {
    let launch = Launch::from_process();
    if launch.demo && !cfg!(feature = "demo") {
        eprintln!("liaison-desktop: this build has no demo mode; build it with `--features demo`");
        std::process::exit(2);
    }
    let bridge = EventBridge::<tauri::Wry>::new(true);
    let setup_bridge = Arc::clone(&bridge);
    let built = with_commands(tauri::Builder::default())
        // First: a second launch focuses the running window instead.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(
            tauri_plugin_log::Builder::new()
                .level(log::LevelFilter::Info)
                .build(),
        )
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        // The shell opens file dialogs itself (`choose_file`); the webview
        // is granted none of the plugin's own commands.
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| setup(app, &launch, &setup_bridge))
        .build(tauri::generate_context!());
    let app = match built {
        Ok(app) => app,
        Err(error) => {
            eprintln!("liaison-desktop could not start: {error}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            // Close the store and drop the keys before the process ends.
            if let Some(state) = handle.try_state::<DeskState>() {
                let desk = state.desk_handle();
                let _ = tauri::async_runtime::block_on(desk.lock());
            }
            #[cfg(feature = "demo")]
            demo::shutdown(handle);
        }
    });
}
