//! The Tauri commands: one per entry of `Commands` in
//! `ui/src/lib/api/types.ts`, each named once in `list.rs`. Each forwards
//! to `liaison_desk::Desk` and returns a view model or an `AppError`.

pub(crate) mod archive;
pub(crate) mod channel;
pub(crate) mod files;
pub(crate) mod session;
pub(crate) mod trust;

use tauri::Runtime;
use tauri::ipc::Invoke;

/// Makes the command list of `list.rs` the names and the invoke handler,
/// so the two cannot disagree (`build.rs` reads the same list with its own
/// `window_commands!`, for the permissions).
macro_rules! window_commands {
    ($($module:ident :: $command:ident),* $(,)?) => {
        /// Every command name: the invoke handler's, and the application's
        /// permission manifest's and the window's capability's (`build.rs`).
        pub const COMMANDS: &[&str] = &[$(stringify!($command)),*];

        /// The invoke handler: every command of `list.rs`, and no other.
        pub(crate) fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$command),*]
        }
    };
}

include!("list.rs");
